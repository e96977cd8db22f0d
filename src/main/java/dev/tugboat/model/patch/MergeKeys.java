package dev.tugboat.model.patch;

import java.util.List;
import java.util.Optional;

/**
 * The merge keys of Kubernetes' types (their {@code patchMergeKey} tags), by the field names leading
 * to a list: containers merge by name, a container's ports by containerPort, a Service's by port.
 */
public final class MergeKeys {
  private MergeKeys() {}

  public static Optional<String> forPath(List<String> path) {
    if (path.isEmpty()) return Optional.empty();
    String field = path.get(path.size() - 1);
    String parent = path.size() >= 2 ? path.get(path.size() - 2) : "";
    return Optional.ofNullable(switch (field) {
      case "containers", "initContainers", "ephemeralContainers", "env", "volumes", "imagePullSecrets" -> "name";
      case "volumeMounts" -> "mountPath";
      case "volumeDevices" -> "devicePath";
      case "ownerReferences" -> "uid";
      case "conditions" -> "type";
      case "hostAliases" -> "ip";
      case "topologySpreadConstraints" -> "topologyKey";
      // A Service's ports (spec.ports) merge by port; a container's (under containers) by containerPort.
      case "ports" -> parent.equals("spec") && !path.contains("containers") && !path.contains("initContainers")
          ? "port" : "containerPort";
      default -> null;
    });
  }

  /** Lists of strings that merge as sets rather than being replaced. */
  public static boolean isPrimitiveMerge(List<String> path) {
    return path.size() == 2 && path.get(0).equals("metadata") && path.get(1).equals("finalizers");
  }
}
