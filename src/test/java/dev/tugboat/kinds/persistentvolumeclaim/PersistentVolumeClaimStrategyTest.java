package dev.tugboat.kinds.persistentvolumeclaim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersistentVolumeClaimStrategyTest {
  private final PersistentVolumeClaimStrategy strategy = new PersistentVolumeClaimStrategy();

  private static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true, false);
  }

  private static ObjectNode claim(String spec) {
    ObjectNode pvc = yaml("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: default, uid: u1}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        """);
    ((ObjectNode) pvc.get("spec")).setAll(yaml(spec.isBlank() ? "{}" : spec));
    return pvc;
  }

  /** Two classes, {@code fast} (expandable) and {@code slow} (the default), as the registry hands them over. */
  private static ObjectNode classes() {
    return yaml("""
        StorageClass:
        - metadata: {name: fast, creationTimestamp: "2025-01-02T00:00:00Z"}
          provisioner: tugboat.dev/local
          allowVolumeExpansion: true
        - metadata: {name: slow, creationTimestamp: "2025-01-01T00:00:00Z",
                     annotations: {storageclass.kubernetes.io/is-default-class: "true"}}
          provisioner: tugboat.dev/local
        """);
  }

  private static List<String> causes(Admission a) {
    assertNotNull(a.failure(), "refused");
    assertEquals(422, a.failure().code());
    return a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void getsTheDefaultClassTheFinalizerAndPending() {
    Admission a = strategy.admit(null, claim(""), classes());
    assertNull(a.failure(), () -> String.valueOf(a.failure()));
    assertEquals("slow", a.object().at("/spec/storageClassName").asText());
    assertEquals("Filesystem", a.object().at("/spec/volumeMode").asText());
    assertEquals("kubernetes.io/pvc-protection", a.object().at("/metadata/finalizers/0").asText());
    assertEquals(1, a.object().at("/metadata/finalizers").size());
    assertEquals("Pending", a.object().at("/status/phase").asText());
    // An explicit "" means no class at all, and is kept.
    assertEquals("", strategy.admit(null, claim("storageClassName: ''"), classes()).object().at("/spec/storageClassName").asText());
    assertEquals("fast", strategy.admit(null, claim("storageClassName: fast"), classes()).object()
        .at("/spec/storageClassName").asText());
  }

  @Test
  void theNewestDefaultWins() {
    ObjectNode two = classes();
    ((ObjectNode) two.at("/StorageClass/0/metadata")).putObject("annotations")
        .put("storageclass.kubernetes.io/is-default-class", "true");
    assertEquals("fast", PersistentVolumeClaimStrategy.defaultClass(two.get("StorageClass")));
  }

  @Test
  void anInvalidOrMissingSizeIsA422NamingTheField() {
    assertEquals(List.of("spec.resources[storage]: Invalid value: \"ten gigs\": quantities must match the regular "
        + "expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
        causes(strategy.admit(null, claim("resources: {requests: {storage: ten gigs}}"), classes())));
    assertEquals(List.of("spec.resources[storage]: Required value"),
        causes(strategy.admit(null, claim("resources: {}"), classes())));
    assertTrue(causes(strategy.admit(null, claim("accessModes: []"), classes())).get(0)
        .startsWith("spec.accessModes: Required value"));
  }

  @Test
  void theSpecIsImmutableButForBindingAndGrowthWhereTheClassAllows() {
    ObjectNode created = strategy.admit(null, claim("storageClassName: fast"), classes()).object();
    ObjectNode bound = created.deepCopy();
    ((ObjectNode) bound.get("spec")).put("volumeName", "pv1");
    ObjectNode boundNow = strategy.admit(created, bound, classes()).object();
    assertNotNull(boundNow, "the binder may set volumeName once");
    ((ObjectNode) boundNow.get("status")).put("phase", "Bound");

    ObjectNode otherModes = boundNow.deepCopy();
    ((ObjectNode) otherModes.get("spec")).putArray("accessModes").add("ReadWriteMany");
    assertEquals(List.of("spec: Forbidden: " + PersistentVolumeClaimStrategy.IMMUTABLE),
        causes(strategy.admit(boundNow, otherModes, classes())));

    ObjectNode grown = boundNow.deepCopy();
    ((ObjectNode) grown.at("/spec/resources/requests")).put("storage", "2Gi");
    assertNull(strategy.admit(boundNow, grown, classes()).failure(), "fast allows expansion");

    ObjectNode shrunk = boundNow.deepCopy();
    ((ObjectNode) shrunk.at("/spec/resources/requests")).put("storage", "1Mi");
    assertEquals(List.of("spec.resources.requests.storage: Forbidden: field can not be less than previous value"),
        causes(strategy.admit(boundNow, shrunk, classes())));

    ObjectNode slow = strategy.admit(null, claim(""), classes()).object();
    ObjectNode slowBound = slow.deepCopy();
    ((ObjectNode) slowBound.get("status")).put("phase", "Bound");
    ObjectNode slowGrown = slowBound.deepCopy();
    ((ObjectNode) slowGrown.at("/spec/resources/requests")).put("storage", "2Gi");
    assertTrue(causes(strategy.admit(slowBound, slowGrown, classes())).get(0)
        .startsWith("spec.resources.requests.storage: Forbidden: only dynamically provisioned pvc can be resized"));

    ObjectNode pendingGrown = created.deepCopy();
    ((ObjectNode) pendingGrown.at("/spec/resources/requests")).put("storage", "2Gi");
    assertEquals(List.of("spec: Forbidden: " + PersistentVolumeClaimStrategy.IMMUTABLE),
        causes(strategy.admit(created, pendingGrown, classes())), "an unbound claim cannot be resized");
  }

  @Test
  void printsKubectlsColumns() {
    ObjectNode pending = strategy.admit(null, claim(""), classes()).object();
    pending.with("metadata").put("creationTimestamp", "2025-01-01T00:00:00Z");
    PersistentVolumeClaimPrinter printer = new PersistentVolumeClaimPrinter();
    assertEquals(List.of("Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass", "VolumeAttributesClass",
        "Age", "VolumeMode"), printer.columns().stream().map(c -> c.name()).toList());
    Instant now = Instant.parse("2025-01-01T00:01:00Z");
    assertEquals(List.of("data", "Pending", "", "", "", "slow", "<unset>", "60s", "Filesystem"), printer.cells(pending, now));
    ObjectNode bound = pending.deepCopy();
    ((ObjectNode) bound.get("spec")).put("volumeName", "pv1");
    ((ObjectNode) bound.get("status")).put("phase", "Bound").putArray("accessModes").add("ReadWriteOnce");
    ((ObjectNode) bound.get("status")).putObject("capacity").put("storage", "5Gi");
    assertEquals(List.of("data", "Bound", "pv1", "5Gi", "RWO", "slow", "<unset>", "60s", "Filesystem"), printer.cells(bound, now));
  }
}
