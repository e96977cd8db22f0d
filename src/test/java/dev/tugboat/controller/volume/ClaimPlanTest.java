package dev.tugboat.controller.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimPlanTest {
  static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true, false);
  }

  static ObjectNode claim(String extra) {
    ObjectNode c = yaml("""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data, namespace: default, uid: c1, resourceVersion: "7",
                   finalizers: [kubernetes.io/pvc-protection]}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: manual,
               volumeMode: Filesystem}
        status: {phase: Pending}
        """);
    c.setAll(yaml(extra.isBlank() ? "{}" : extra));
    return c;
  }

  static ObjectNode pv(String name, String size, String extraSpec) {
    ObjectNode pv = yaml("""
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: %s, uid: %s-uid, resourceVersion: "3"}
        spec: {capacity: {storage: %s}, accessModes: [ReadWriteOnce, ReadOnlyMany], storageClassName: manual,
               persistentVolumeReclaimPolicy: Retain, volumeMode: Filesystem, hostPath: {path: /srv/%s}}
        status: {phase: Available}
        """.formatted(name, name, size, name));
    ((ObjectNode) pv.get("spec")).setAll(yaml(extraSpec.isBlank() ? "{}" : extraSpec));
    return pv;
  }

  static final List<ObjectNode> CLASSES = List.of(
      yaml("{metadata: {name: manual}, provisioner: kubernetes.io/no-provisioner, volumeBindingMode: Immediate}"),
      yaml("""
          {metadata: {name: local, annotations: {storageclass.kubernetes.io/is-default-class: "true"}},
           provisioner: tugboat.dev/local, reclaimPolicy: Delete, volumeBindingMode: WaitForFirstConsumer}
          """));
  static final List<ObjectNode> NODES = List.of(
      yaml("{metadata: {name: n1, labels: {kubernetes.io/hostname: n1}, annotations: {tugboat.dev/data-dir: /var/tug}}}"),
      yaml("{metadata: {name: n2, labels: {kubernetes.io/hostname: n2}}}"));

  static ObjectNode pod(String claim, String node, String phase) {
    ObjectNode p = yaml("""
        {metadata: {name: p, namespace: default}, spec: {volumes: [{name: v, persistentVolumeClaim: {claimName: %s}}]},
         status: {phase: %s}}
        """.formatted(claim, phase));
    if (node != null) ((ObjectNode) p.get("spec")).put("nodeName", node);
    return p;
  }

  @Test
  void bindsTheSmallestVolumeThatFits() {
    List<ObjectNode> volumes = List.of(pv("big", "10Gi", ""), pv("small", "2Gi", ""), pv("tiny", "500Mi", ""),
        pv("rwx-only", "1Gi", "accessModes: [ReadWriteMany]"), pv("other-class", "1Gi", "storageClassName: fast"),
        pv("taken", "1Gi", "claimRef: {namespace: default, name: other, uid: x}"));
    ClaimPlan.Step step = ClaimPlan.of(claim(""), volumes, CLASSES, NODES, List.of());
    assertEquals("small", ((ClaimPlan.Bind) step).volume().at("/metadata/name").asText());
  }

  @Test
  void honoursTheSelectorAndPreBinding() {
    ObjectNode labelled = pv("labelled", "5Gi", "");
    labelled.with("metadata").putObject("labels").put("tier", "gold");
    List<ObjectNode> volumes = List.of(pv("plain", "1Gi", ""), labelled);
    ObjectNode selecting = claim("");
    ((ObjectNode) selecting.get("spec")).set("selector", yaml("{matchLabels: {tier: gold}}"));
    assertEquals("labelled", ((ClaimPlan.Bind) ClaimPlan.of(selecting, volumes, CLASSES, NODES, List.of()))
        .volume().at("/metadata/name").asText());

    ObjectNode named = claim("");
    ((ObjectNode) named.get("spec")).put("volumeName", "labelled");
    assertEquals("labelled", ((ClaimPlan.Bind) ClaimPlan.of(named, volumes, CLASSES, NODES, List.of()))
        .volume().at("/metadata/name").asText());

    List<ObjectNode> preBound = List.of(pv("plain", "1Gi", ""), pv("for-data", "9Gi", "claimRef: {namespace: default, name: data}"));
    assertEquals("for-data", ((ClaimPlan.Bind) ClaimPlan.of(claim(""), preBound, CLASSES, NODES, List.of()))
        .volume().at("/metadata/name").asText());
  }

  @Test
  void waitsSayingWhy() {
    ClaimPlan.Wait tooBig = (ClaimPlan.Wait) ClaimPlan.of(claim(""), List.of(pv("tiny", "100Mi", "")), CLASSES, NODES, List.of());
    assertEquals("no persistent volumes available for this claim and storage class \"manual\" has no provisioner",
        tooBig.message());
    ObjectNode noClass = claim("");
    ((ObjectNode) noClass.get("spec")).put("storageClassName", "");
    assertEquals("no persistent volumes available for this claim and no storage class is set",
        ((ClaimPlan.Wait) ClaimPlan.of(noClass, List.of(), CLASSES, NODES, List.of())).message());
    ObjectNode local = claim("");
    ((ObjectNode) local.get("spec")).put("storageClassName", "local");
    ClaimPlan.Wait waiting = (ClaimPlan.Wait) ClaimPlan.of(local, List.of(), CLASSES, NODES, List.of(pod("data", null, "Pending")));
    assertEquals("WaitForFirstConsumer", waiting.reason());
    assertEquals("waiting for first consumer to be created before binding", waiting.message());
  }

  @Test
  void aClaimWithoutAClassGetsTheDefaultOne() {
    ObjectNode unnamed = claim("");
    ((ObjectNode) unnamed.get("spec")).remove("storageClassName");
    assertEquals(new ClaimPlan.SetDefaultClass("local"), ClaimPlan.of(unnamed, List.of(), CLASSES, NODES, List.of()));
  }

  @Test
  void theLocalProvisionerMakesAVolumeOnTheSelectedNode() {
    ObjectNode local = claim("");
    ((ObjectNode) local.get("spec")).put("storageClassName", "local");
    // Its pod is bound: the node is recorded first (the scheduler does it too).
    assertEquals(new ClaimPlan.SelectNode("n1"), ClaimPlan.of(local, List.of(), CLASSES, NODES, List.of(pod("data", "n1", "Pending"))));
    local.with("metadata").putObject("annotations").put("volume.kubernetes.io/selected-node", "n1");
    ObjectNode pv = ((ClaimPlan.Provision) ClaimPlan.of(local, List.of(), CLASSES, NODES, List.of())).volume();
    assertEquals("pvc-c1", pv.at("/metadata/name").asText());
    assertEquals("/var/tug/volumes/pvc-c1", pv.at("/spec/local/path").asText());
    assertEquals("1Gi", pv.at("/spec/capacity/storage").asText());
    assertEquals("Delete", pv.at("/spec/persistentVolumeReclaimPolicy").asText());
    assertEquals("tugboat.dev/local", pv.at("/metadata/annotations/pv.kubernetes.io~1provisioned-by").asText());
    assertEquals("tugboat.dev/local-volume-cleanup", pv.at("/metadata/finalizers/0").asText());
    assertEquals("n1", pv.at("/spec/nodeAffinity/required/nodeSelectorTerms/0/matchExpressions/0/values/0").asText());
    assertEquals("c1", pv.at("/spec/claimRef/uid").asText());
    // The next pass finds it pre-bound and binds it.
    assertInstanceOf(ClaimPlan.Bind.class, ClaimPlan.of(local, List.of(pv), CLASSES, NODES, List.of()));
    // A static local volume on another node does not do; one on the selected node does.
    ObjectNode onN2 = pv("on-n2", "1Gi", "storageClassName: local");
    ((ObjectNode) onN2.get("spec")).set("nodeAffinity", yaml(
        "{required: {nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [n2]}]}]}}"));
    assertInstanceOf(ClaimPlan.Provision.class, ClaimPlan.of(local, List.of(onN2), CLASSES, NODES, List.of()));
    local.with("metadata").with("annotations").put("volume.kubernetes.io/selected-node", "n2");
    assertEquals("on-n2", ((ClaimPlan.Bind) ClaimPlan.of(local, List.of(onN2), CLASSES, NODES, List.of())).volume()
        .at("/metadata/name").asText());
    // n2 says nowhere where its data lives: no volume can be made there.
    ClaimPlan.Wait noDir = (ClaimPlan.Wait) ClaimPlan.of(local, List.of(), CLASSES, NODES, List.of());
    assertEquals("ProvisioningFailed", noDir.reason());
  }

  @Test
  void aClaimInUseKeepsItsFinalizer() {
    ObjectNode deleting = claim("");
    deleting.with("metadata").put("deletionTimestamp", "2025-01-01T00:00:00Z");
    assertEquals(new ClaimPlan.Nothing(), ClaimPlan.of(deleting, List.of(), CLASSES, NODES, List.of(pod("data", "n1", "Running"))));
    assertEquals(new ClaimPlan.RemoveFinalizer(), ClaimPlan.of(deleting, List.of(), CLASSES, NODES,
        List.of(pod("data", "n1", "Succeeded"), pod("other", "n1", "Running"))));
  }

  @Test
  void aBoundClaimWhoseVolumeIsGoneIsLost() {
    ObjectNode bound = claim("");
    ((ObjectNode) bound.get("spec")).put("volumeName", "gone");
    ((ObjectNode) bound.get("status")).put("phase", "Bound");
    assertInstanceOf(ClaimPlan.Lost.class, ClaimPlan.of(bound, List.of(), CLASSES, NODES, List.of()));
  }
}
