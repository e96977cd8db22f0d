package dev.tugboat.kinds.persistentvolume;

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

class PersistentVolumeStrategyTest {
  private final PersistentVolumeStrategy strategy = new PersistentVolumeStrategy();

  static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true, false);
  }

  private static ObjectNode pv(String spec) {
    ObjectNode pv = yaml("""
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv1, uid: u1}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          hostPath: {path: /tmp/pv1}
        """);
    ((ObjectNode) pv.get("spec")).setAll(yaml(spec.isBlank() ? "{}" : spec));
    return pv;
  }

  static List<String> causes(Admission a) {
    assertNotNull(a.failure(), "refused");
    assertEquals(422, a.failure().code());
    return a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void defaultsRetainFilesystemAndStartsPending() {
    ObjectNode in = pv("");
    in.putObject("status").put("phase", "Bound");
    Admission a = strategy.admitCreate(in);
    assertNull(a.failure(), () -> String.valueOf(a.failure()));
    assertEquals("Retain", a.object().at("/spec/persistentVolumeReclaimPolicy").asText());
    assertEquals("Filesystem", a.object().at("/spec/volumeMode").asText());
    assertEquals("Pending", a.object().at("/status/phase").asText());
  }

  @Test
  void refusesWhatKubernetesRefusesNamingTheField() {
    List<String> causes = causes(strategy.admitCreate(pv("""
        capacity: {storage: lots}
        accessModes: [ReadWriteSometimes]
        persistentVolumeReclaimPolicy: Shred
        """)));
    assertTrue(causes.stream().anyMatch(c -> c.startsWith("spec.capacity[storage]: Invalid value")), causes.toString());
    assertTrue(causes.stream().anyMatch(c -> c.startsWith("spec.accessModes: Unsupported value")), causes.toString());
    assertTrue(causes.stream().anyMatch(c -> c.startsWith("spec.persistentVolumeReclaimPolicy: Unsupported value")), causes.toString());

    ObjectNode noSource = pv("");
    ((ObjectNode) noSource.get("spec")).remove("hostPath");
    assertTrue(causes(strategy.admitCreate(noSource)).get(0).startsWith("spec: Required value"));

    ObjectNode local = pv("");
    ((ObjectNode) local.get("spec")).remove("hostPath");
    ((ObjectNode) local.get("spec")).putObject("local").put("path", "/mnt/disk");
    assertEquals(List.of("spec.nodeAffinity: Required value: Local volume requires node affinity"),
        causes(strategy.admitCreate(local)));

    assertTrue(causes(strategy.admitCreate(pv("capacity: {storage: '0'}"))).get(0)
        .startsWith("spec.capacity[storage]: Invalid value"));
  }

  @Test
  void theSourceNeverChanges() {
    ObjectNode created = strategy.admitCreate(pv("")).object();
    ObjectNode moved = created.deepCopy();
    ((ObjectNode) moved.at("/spec/hostPath")).put("path", "/elsewhere");
    assertEquals(List.of("spec.hostPath: Invalid value: \"{path=/elsewhere}\": field is immutable").size(),
        causes(strategy.admitUpdate(created, moved)).size());
    ObjectNode claimed = created.deepCopy();
    ((ObjectNode) claimed.get("spec")).putObject("claimRef").put("namespace", "default").put("name", "data");
    assertNull(strategy.admitUpdate(created, claimed).failure());
  }

  @Test
  void printsKubectlsColumns() {
    ObjectNode bound = strategy.admitCreate(pv("""
        accessModes: [ReadWriteMany, ReadWriteOnce]
        storageClassName: manual
        claimRef: {namespace: default, name: data}
        """)).object();
    bound.with("metadata").put("creationTimestamp", "2025-01-01T00:00:00Z");
    ((ObjectNode) bound.get("status")).put("phase", "Bound");
    PersistentVolumePrinter printer = new PersistentVolumePrinter();
    assertEquals(List.of("Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim", "StorageClass",
        "VolumeAttributesClass", "Reason", "Age", "VolumeMode"), printer.columns().stream().map(c -> c.name()).toList());
    assertEquals(List.of("pv1", "1Gi", "RWO,RWX", "Retain", "Bound", "default/data", "manual", "<unset>", "", "10s",
        "Filesystem"), printer.cells(bound, Instant.parse("2025-01-01T00:00:10Z")));
  }
}
