package dev.tugboat.kinds.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseStrategyTest {
  private final LeaseStrategy strategy = new LeaseStrategy();

  private static ObjectNode lease(String spec) {
    return (ObjectNode) Codec.parseTree(("{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\","
        + "\"metadata\":{\"name\":\"leader\",\"namespace\":\"default\"},\"spec\":{" + spec + "}}").getBytes(), false);
  }

  @Test
  void keepsWhatLeaderElectionWritesAsWritten() {
    String spec = "\"holderIdentity\":\"a\",\"leaseDurationSeconds\":15,\"acquireTime\":\"2026-12-04T08:40:00.123456Z\","
        + "\"renewTime\":\"2026-12-04T08:40:05.654321Z\",\"leaseTransitions\":2";
    Admission a = strategy.admitCreate(lease(spec));
    assertNull(a.failure(), () -> String.valueOf(a.failure()));
    assertEquals("2026-12-04T08:40:05.654321Z", a.object().path("spec").path("renewTime").asText());
    assertEquals(2, a.object().path("spec").path("leaseTransitions").asInt());
  }

  @Test
  void refusesBadTerms() {
    Admission a = strategy.admitCreate(lease("\"leaseDurationSeconds\":0,\"leaseTransitions\":-1,\"renewTime\":\"soon\""));
    assertEquals(422, a.failure().code());
    assertEquals(List.of("spec.leaseDurationSeconds", "spec.leaseTransitions", "spec.renewTime"),
        a.failure().details().causes().stream().map(c -> c.field()).toList());
  }
}
