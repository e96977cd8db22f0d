package dev.tugboat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.model.Codec;
import dev.tugboat.model.Pod;
import dev.tugboat.runtime.ContainerRuntime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A container's effective securityContext (container over pod) and the kubelet's runAsNonRoot check. */
class SecurityContextsTest {
  private static Pod.Spec spec(String yaml) {
    return Codec.yaml().convertValue(Codec.parseTree(yaml.getBytes(), true, false), Pod.Spec.class);
  }

  @Test
  void theContainerOverridesThePod() {
    Pod.Spec pod = spec("""
        securityContext: {runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000], fsGroup: 2000, runAsNonRoot: true}
        containers:
        - {name: a, image: i}
        - name: b
          image: i
          securityContext: {runAsUser: 1001, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
            capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}, runAsNonRoot: false}
        """);
    ContainerRuntime.Security a = SecurityContexts.of(pod, pod.containers().get(0));
    assertEquals(new ContainerRuntime.Security(1000L, 3000L, List.of(4000L, 2000L), false, List.of(), List.of(), false, false), a);
    ContainerRuntime.Security b = SecurityContexts.of(pod, pod.containers().get(1));
    assertEquals(new ContainerRuntime.Security(1001L, 3000L, List.of(4000L, 2000L), true, List.of("NET_BIND_SERVICE"),
        List.of("ALL"), true, false), b);
    assertTrue(SecurityContexts.runAsNonRoot(pod, pod.containers().get(0)));
    assertFalse(SecurityContexts.runAsNonRoot(pod, pod.containers().get(1)));
  }

  @Test
  void nothingSaidIsTheRuntimesDefault() {
    Pod.Spec pod = spec("containers: [{name: a, image: i}]");
    assertEquals(ContainerRuntime.Security.NONE, SecurityContexts.of(pod, pod.containers().get(0)));
    assertFalse(SecurityContexts.runAsNonRoot(pod, pod.containers().get(0)));
  }

  @Test
  void aPrivilegedContainerMayEscalate() {
    Pod.Spec pod = spec("containers: [{name: a, image: i, securityContext: {privileged: true, allowPrivilegeEscalation: false}}]");
    ContainerRuntime.Security s = SecurityContexts.of(pod, pod.containers().get(0));
    assertTrue(s.privileged());
    assertFalse(s.noNewPrivileges());
  }

  @Test
  void runAsNonRootIsCheckedAgainstTheUserOrTheImage() {
    assertEquals(Optional.of("container's runAsUser breaks non-root policy"), SecurityContexts.nonRootRefusal(0L, ""));
    assertEquals(Optional.empty(), SecurityContexts.nonRootRefusal(1000L, ""));
    assertEquals(Optional.of("container has runAsNonRoot and image will run as root"), SecurityContexts.nonRootRefusal(null, ""));
    assertEquals(Optional.of("container has runAsNonRoot and image will run as root"), SecurityContexts.nonRootRefusal(null, "0:0"));
    assertEquals(Optional.empty(), SecurityContexts.nonRootRefusal(null, "1000:1000"));
    assertEquals(Optional.of("container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root"),
        SecurityContexts.nonRootRefusal(null, "nobody"));
  }
}
