package dev.tugboat.node;

import dev.tugboat.model.Node;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.Quantity;
import dev.tugboat.protocol.Fencing;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a node agent registers and reports about its node: identity, capacity, conditions. */
final class NodeStatus {
  static final String KUBELET_VERSION = "v1.33.0-tugboat";

  private NodeStatus() {}

  /** The Node a new agent registers: its labels and the taints it registers with. */
  static Node registration(NodeSettings s, String member) {
    Map<String, String> labels = new LinkedHashMap<>(baseLabels(s));
    labels.putAll(s.labels());
    ObjectMeta meta = ObjectMeta.named(null, s.nodeName()).withLabels(labels).withAnnotations(annotations(s, member));
    return new Node("v1", "Node", meta, new Node.Spec(null, s.taints().isEmpty() ? null : s.taints(), null, null), null);
  }

  /**
   * What the agent says of its node in annotations: where its data (and local volumes) live, and
   * which cluster member runs it (the node lifecycle controller fences by it: {@link Fencing}).
   */
  static Map<String, String> annotations(NodeSettings s, String member) {
    return Map.of(dev.tugboat.kinds.persistentvolume.PersistentVolume.DATA_DIR_ANNOTATION,
        java.nio.file.Path.of(s.dataDir()).toAbsolutePath().normalize().toString(),
        Fencing.MEMBER_ANNOTATION, member);
  }

  /** Labels every node carries, as the kubelet sets them. */
  static Map<String, String> baseLabels(NodeSettings s) {
    return Map.of(
        "kubernetes.io/hostname", s.nodeName(),
        "kubernetes.io/os", "linux",
        "kubernetes.io/arch", arch());
  }

  /** The whole status: capacity, addresses, node info and fresh conditions. */
  static Node.Status status(NodeSettings s, String runtimeVersion, Instant now, List<Node.Condition> previous) {
    Map<String, Quantity> capacity = Map.of("cpu", s.cpu(), "memory", s.memory(), "pods", Quantity.of(s.pods()));
    Node.NodeInfo info = new Node.NodeInfo(null, null, null, System.getProperty("os.version"),
        osImage(), runtimeVersion, KUBELET_VERSION, KUBELET_VERSION, "linux", arch());
    return new Node.Status(capacity, capacity, conditions(now, previous),
        List.of(new Node.Address("InternalIP", s.address()), new Node.Address("Hostname", s.nodeName())), info);
  }

  /**
   * Ready (the heartbeat) and the pressure conditions, each with a fresh lastHeartbeatTime and its
   * lastTransitionTime kept while its status is unchanged.
   */
  static List<Node.Condition> conditions(Instant now, List<Node.Condition> previous) {
    Instant t = now.truncatedTo(ChronoUnit.MILLIS);
    List<Node.Condition> result = new ArrayList<>();
    result.add(condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "node agent has sufficient memory available", t, previous));
    result.add(condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "node agent has no disk pressure", t, previous));
    result.add(condition("PIDPressure", "False", "KubeletHasSufficientPID", "node agent has sufficient PID available", t, previous));
    result.add(condition("Ready", "True", "KubeletReady", "node agent is posting ready status", t, previous));
    return result;
  }

  private static Node.Condition condition(String type, String status, String reason, String message, Instant now,
      List<Node.Condition> previous) {
    Instant transition = now;
    if (previous != null) {
      for (Node.Condition c : previous) {
        if (type.equals(c.type()) && status.equals(c.status()) && c.lastTransitionTime() != null) {
          transition = c.lastTransitionTime();
        }
      }
    }
    return new Node.Condition(type, status, now, transition, reason, message);
  }

  private static String arch() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> arch;
    };
  }

  private static String osImage() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) return line.substring(12).replace("\"", "");
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux, or no os-release: fall through
    }
    return System.getProperty("os.name");
  }
}
