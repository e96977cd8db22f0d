package dev.tugboat.kinds.poddisruptionbudget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodDisruptionBudgetStrategyTest {
  private final PodDisruptionBudgetStrategy strategy = new PodDisruptionBudgetStrategy();

  private static ObjectNode pdb(String spec) {
    return (ObjectNode) Codec.parseTree(("{\"apiVersion\":\"policy/v1\",\"kind\":\"PodDisruptionBudget\","
        + "\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{" + spec + "}}").getBytes(), false);
  }

  private List<String> causes(String spec) {
    Admission a = strategy.admitCreate(pdb(spec));
    assertEquals(422, a.failure().code());
    return a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void acceptsEitherAmountAsANumberOrAPercentage() {
    for (String spec : List.of("\"minAvailable\":2", "\"maxUnavailable\":\"25%\"", "\"minAvailable\":\"100%\"",
        "\"maxUnavailable\":0,\"unhealthyPodEvictionPolicy\":\"AlwaysAllow\"")) {
      Admission a = strategy.admitCreate(pdb(spec + ",\"selector\":{\"matchLabels\":{\"app\":\"web\"}}"));
      assertNull(a.failure(), () -> spec + ": " + a.failure());
    }
  }

  @Test
  void refusesBothAmountsAndBadValuesNamingTheField() {
    assertEquals(List.of("spec.maxUnavailable: Invalid value: \"1\": minAvailable and maxUnavailable cannot be both set"),
        causes("\"minAvailable\":2,\"maxUnavailable\":1"));
    assertEquals(List.of("spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"),
        causes("\"minAvailable\":-1"));
    assertEquals(List.of("spec.maxUnavailable: Invalid value: \"120%\": must not be greater than 100%"),
        causes("\"maxUnavailable\":\"120%\""));
    assertEquals(1, causes("\"minAvailable\":\"half\"").size());
    assertEquals(List.of("spec.unhealthyPodEvictionPolicy: Unsupported value: \"Sometimes\": supported values: "
        + "\"IfHealthyBudget\", \"AlwaysAllow\""), causes("\"minAvailable\":1,\"unhealthyPodEvictionPolicy\":\"Sometimes\""));
  }
}
