package dev.tugboat.node;

import dev.tugboat.model.Pod;
import dev.tugboat.runtime.ContainerRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A container's securityContext as the runtime applies it, as the kubelet reads it: a field the
 * container sets overrides the pod's ({@code runAsUser}, {@code runAsGroup}, {@code runAsNonRoot},
 * {@code seccompProfile}); {@code supplementalGroups} and {@code fsGroup} are the pod's and become
 * extra groups of every container (the fsGroup is not chowned onto volumes here: a simplification,
 * docs/security.md). {@code allowPrivilegeEscalation} is false only when said so, as in Kubernetes,
 * and cannot be false for a privileged container.
 */
final class SecurityContexts {
  private SecurityContexts() {}

  /** The runtime's settings for {@code container} of {@code pod}. */
  static ContainerRuntime.Security of(Pod.Spec pod, Pod.Container container) {
    Pod.PodSecurityContext p = pod.securityContext();
    Pod.SecurityContext c = container.securityContext();
    Long user = c != null && c.runAsUser() != null ? c.runAsUser() : p == null ? null : p.runAsUser();
    Long group = c != null && c.runAsGroup() != null ? c.runAsGroup() : p == null ? null : p.runAsGroup();
    List<Long> groups = new ArrayList<>();
    if (p != null && p.supplementalGroups() != null) groups.addAll(p.supplementalGroups());
    if (p != null && p.fsGroup() != null && !groups.contains(p.fsGroup())) groups.add(p.fsGroup());
    boolean privileged = c != null && Boolean.TRUE.equals(c.privileged());
    boolean readOnly = c != null && Boolean.TRUE.equals(c.readOnlyRootFilesystem());
    boolean noNewPrivileges = c != null && Boolean.FALSE.equals(c.allowPrivilegeEscalation()) && !privileged;
    Pod.Capabilities caps = c == null ? null : c.capabilities();
    List<String> add = caps == null || caps.add() == null ? List.of() : caps.add();
    List<String> drop = caps == null || caps.drop() == null ? List.of() : caps.drop();
    return new ContainerRuntime.Security(user, group, groups, readOnly, add, drop, noNewPrivileges, privileged);
  }

  /** Whether the container must not run as root: its own runAsNonRoot, else the pod's. */
  static boolean runAsNonRoot(Pod.Spec pod, Pod.Container container) {
    Pod.SecurityContext c = container.securityContext();
    if (c != null && c.runAsNonRoot() != null) return c.runAsNonRoot();
    return pod.securityContext() != null && Boolean.TRUE.equals(pod.securityContext().runAsNonRoot());
  }

  /**
   * The kubelet's check of runAsNonRoot, with its words: the container's user is the one it is given,
   * else the image's ({@code imageUser}: "" is root; a name cannot be verified). Empty when it may
   * start; otherwise the message of its CreateContainerConfigError.
   */
  static Optional<String> nonRootRefusal(Long user, String imageUser) {
    if (user != null) {
      return user == 0 ? Optional.of("container's runAsUser breaks non-root policy") : Optional.empty();
    }
    String uid = imageUser.contains(":") ? imageUser.substring(0, imageUser.indexOf(':')) : imageUser;
    if (uid.isEmpty() || uid.equals("0") || uid.equals("root")) {
      return Optional.of("container has runAsNonRoot and image will run as root");
    }
    if (!uid.chars().allMatch(Character::isDigit)) {
      return Optional.of("container has runAsNonRoot and image has non-numeric user (" + uid
          + "), cannot verify user is non-root");
    }
    return Optional.empty();
  }
}
