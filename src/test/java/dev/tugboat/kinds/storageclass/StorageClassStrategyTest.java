package dev.tugboat.kinds.storageclass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import dev.tugboat.registry.StorageClasses;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StorageClassStrategyTest {
  private final StorageClassStrategy strategy = new StorageClassStrategy();

  private static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true, false);
  }

  private static List<String> causes(Admission a) {
    assertEquals(422, a.failure().code());
    return a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void defaultsDeleteAndImmediate() {
    Admission a = strategy.admitCreate(yaml("""
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: manual}
        provisioner: kubernetes.io/no-provisioner
        """));
    assertNull(a.failure(), () -> String.valueOf(a.failure()));
    assertEquals("Delete", a.object().path("reclaimPolicy").asText());
    assertEquals("Immediate", a.object().path("volumeBindingMode").asText());
  }

  @Test
  void refusesBadValuesAndChangesToTheProvisionerOrParameters() {
    List<String> causes = causes(strategy.admitCreate(yaml("""
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: bad}
        reclaimPolicy: Recycle
        volumeBindingMode: Later
        """)));
    assertEquals(List.of("provisioner: Required value",
        "reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\"",
        "volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\", \"WaitForFirstConsumer\""),
        causes);
    ObjectNode local = strategy.admitCreate(StorageClasses.builtIn()).object();
    ObjectNode changed = local.deepCopy();
    changed.put("provisioner", "example.com/nfs");
    changed.putObject("parameters").put("server", "nfs1");
    assertEquals(List.of("provisioner: Forbidden: updates to provisioner are forbidden.",
        "parameters: Forbidden: updates to parameters are forbidden."), causes(strategy.admitUpdate(local, changed)));
    ObjectNode expandable = local.deepCopy();
    expandable.put("allowVolumeExpansion", true);
    assertNull(strategy.admitUpdate(local, expandable).failure());
  }

  @Test
  void theDefaultClassIsMarkedInItsName() {
    ObjectNode local = strategy.admitCreate(StorageClasses.builtIn()).object();
    local.with("metadata").put("creationTimestamp", "2025-01-01T00:00:00Z");
    assertEquals(List.of("local (default)", "tugboat.dev/local", "Delete", "WaitForFirstConsumer", false, "5s"),
        new StorageClassPrinter().cells(local, Instant.parse("2025-01-01T00:00:05Z")));
  }
}
