package dev.tugboat.kinds.validatingadmissionpolicybinding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValidatingAdmissionPolicyBindingStrategyTest {
  private final ValidatingAdmissionPolicyBindingStrategy strategy = new ValidatingAdmissionPolicyBindingStrategy();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{policyName: p, validationActions: [Deny]}                                                         |",
      "{policyName: p, validationActions: [Warn, Audit], paramRef: {name: l, parameterNotFoundAction: Allow}} |",
      "{validationActions: [Deny]}                                                                        | spec.policyName",
      "{policyName: p, validationActions: []}                                                             | spec.validationActions",
      "{policyName: p, validationActions: [Deny, Warn]}                                                   | spec.validationActions",
      "{policyName: p, validationActions: [Block]}                                                        | spec.validationActions[0]",
      "{policyName: p, validationActions: [Deny], paramRef: {name: l}}                                    | spec.paramRef.parameterNotFoundAction",
      "{policyName: p, validationActions: [Deny], paramRef: {name: l, selector: {}, parameterNotFoundAction: Deny}} | spec.paramRef.name",
  })
  void validates(String spec, String field) {
    Admission a = strategy.admitCreate((ObjectNode) Codec.parseTree(("{apiVersion: admissionregistration.k8s.io/v1, kind: "
        + "ValidatingAdmissionPolicyBinding, metadata: {name: b}, spec: " + spec + "}").getBytes(), true));
    if (field == null) assertNull(a.failure(), () -> a.failure().message());
    else assertEquals(List.of(field), a.failure().details().causes().stream().map(c -> c.field()).toList(), a.failure().message());
  }
}
