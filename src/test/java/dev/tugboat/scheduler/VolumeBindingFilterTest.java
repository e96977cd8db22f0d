package dev.tugboat.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.Node;
import dev.tugboat.model.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VolumeBindingFilterTest {
  private static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true, false);
  }

  private static NodeSnapshot node(String name) {
    return NodeSnapshot.of(Codec.convert(yaml("""
        {metadata: {name: %s, labels: {kubernetes.io/hostname: %s}},
         status: {allocatable: {cpu: "4", memory: 8Gi, pods: "110"}, conditions: [{type: Ready, status: "True"}]}}
        """.formatted(name, name)), Node.class));
  }

  private static PodRequest pod(String... claims) {
    StringBuilder volumes = new StringBuilder();
    for (String c : claims) volumes.append("{name: ").append(c).append(", persistentVolumeClaim: {claimName: ").append(c).append("}},");
    return PodRequest.of(Codec.convert(yaml("""
        {metadata: {name: p, namespace: default, uid: p1},
         spec: {containers: [{name: c, image: busybox}], volumes: [%s]}}
        """.formatted(volumes)), Pod.class));
  }

  private static final Map<String, ObjectNode> CLASSES = Map.of(
      "local", yaml("{metadata: {name: local}, provisioner: tugboat.dev/local, volumeBindingMode: WaitForFirstConsumer}"),
      "manual", yaml("{metadata: {name: manual}, provisioner: kubernetes.io/no-provisioner, volumeBindingMode: Immediate}"));
  private static final Map<String, ObjectNode> VOLUMES = Map.of("pv-n2", yaml("""
      {metadata: {name: pv-n2}, spec: {nodeAffinity: {required: {nodeSelectorTerms:
        [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [n2]}]}]}}}}
      """));
  private static final Map<String, ObjectNode> CLAIMS = Map.of(
      "default/bound", yaml("{metadata: {name: bound, namespace: default}, spec: {storageClassName: local, volumeName: pv-n2}}"),
      "default/later", yaml("{metadata: {name: later, namespace: default}, spec: {storageClassName: local}}"),
      "default/now", yaml("{metadata: {name: now, namespace: default}, spec: {storageClassName: manual}}"));

  private static Placement.Decision place(PodRequest pod) {
    PodRequest resolved = pod.withVolumes(VolumeConstraints.resolve("default", pod.claims(), CLAIMS, VOLUMES, CLASSES));
    return Placement.defaults().place(resolved, List.of(node("n1"), node("n2"), node("n3")));
  }

  @Test
  void aBoundClaimTakesThePodToItsVolumesNode() {
    assertEquals("n2", ((Placement.Fit) place(pod("bound"))).node());
  }

  @Test
  void anUnboundImmediateClaimOrAMissingOneMakesThePodUnschedulable() {
    assertEquals("0/3 nodes are available: 3 pod has unbound immediate PersistentVolumeClaims.",
        ((Placement.Unfit) place(pod("now"))).message());
    assertEquals("0/3 nodes are available: 3 persistentvolumeclaim \"nope\" not found.",
        ((Placement.Unfit) place(pod("nope"))).message());
  }

  @Test
  void aWaitForFirstConsumerClaimTakesAnyNodeAndIsToldWhich() {
    PodRequest pod = pod("later");
    VolumeConstraints v = VolumeConstraints.resolve("default", pod.claims(), CLAIMS, VOLUMES, CLASSES);
    assertEquals(List.of("later"), v.delayedClaims());
    assertInstanceOf(Placement.Fit.class, place(pod));
  }
}
