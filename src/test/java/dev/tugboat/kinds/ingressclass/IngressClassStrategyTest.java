package dev.tugboat.kinds.ingressclass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import dev.tugboat.registry.IngressClasses;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngressClassStrategyTest {
  private final IngressClassStrategy strategy = new IngressClassStrategy();

  private static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true, false);
  }

  private static List<String> causes(Admission a) {
    assertEquals(422, a.failure().code());
    return a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void theBuiltInClassIsValidAndDefault() {
    Admission a = strategy.admitCreate(IngressClasses.builtIn());
    assertNull(a.failure(), () -> String.valueOf(a.failure()));
    assertTrue(IngressClass.isDefault(a.object()));
    ObjectNode ic = a.object();
    ic.with("metadata").put("creationTimestamp", "2025-01-01T00:00:00Z");
    assertEquals(List.of("tugboat", "tugboat.dev/ingress", "<none>", "5s"),
        new IngressClassPrinter().cells(ic, Instant.parse("2025-01-01T00:00:05Z")));
  }

  @Test
  void refusesBadControllersAndParametersAndAChangedController() {
    assertEquals(List.of("spec.controller: Required value"), causes(strategy.admitCreate(yaml("""
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: none}
        spec: {}
        """))));
    List<String> causes = causes(strategy.admitCreate(yaml("""
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: bad}
        spec:
          controller: nginx
          parameters: {kind: Params, scope: Namespace}
        """)));
    assertEquals(List.of("spec.controller: Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\")",
        "spec.parameters.name: Required value",
        "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"), causes);
    ObjectNode withParameters = yaml("""
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: p, creationTimestamp: "2025-01-01T00:00:00Z"}
        spec:
          controller: example.com/ingress
          parameters: {apiGroup: k8s.example.com, kind: IngressParameters, name: external-lb}
        """);
    assertEquals("IngressParameters.k8s.example.com/external-lb",
        new IngressClassPrinter().cells(withParameters, Instant.parse("2025-01-01T00:00:05Z")).get(2));
    ObjectNode current = strategy.admitCreate(IngressClasses.builtIn()).object();
    ObjectNode changed = current.deepCopy();
    changed.with("spec").put("controller", "example.com/other");
    assertEquals(List.of("spec.controller: Invalid value: \"example.com/other\": field is immutable"),
        causes(strategy.admitUpdate(current, changed)));
  }
}
