package dev.tugboat.kinds.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every check of the Pod Security Standards, one row each: what it refuses, at which level, in which words. */
class PodSecurityChecksTest {
  /** A pod restricted allows: non-root, no escalation, capabilities dropped, seccomp RuntimeDefault. */
  private static final String RESTRICTED_OK = """
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
      - name: c
        image: i
        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
      """;

  static JsonNode yaml(String text) {
    return Codec.parseTree(text.getBytes(), true, false);
  }

  private static List<String> evaluate(PodSecurityLevel level, String spec) {
    return evaluate(level, "{}", spec);
  }

  private static List<String> evaluate(PodSecurityLevel level, String metadata, String spec) {
    return PodSecurityChecks.evaluate(level, yaml(metadata), yaml(spec)).stream().map(Object::toString).toList();
  }

  /** Each row: a pod spec and the one violation baseline finds in it. */
  static List<Arguments> baselineRefusals() {
    return List.of(
        Arguments.of("containers: [{name: c, image: i}]\nvolumes: [{name: v, hostPath: {path: /var/run/docker.sock}}]",
            "hostPath volumes (volume \"v\")"),
        Arguments.of("containers: [{name: c, image: i}]\nvolumes: [{name: a, hostPath: {path: /}}, {name: b, hostPath: {path: /etc}}]",
            "hostPath volumes (volumes \"a\", \"b\")"),
        Arguments.of("hostNetwork: true\ncontainers: [{name: c, image: i}]", "host namespaces (hostNetwork=true)"),
        Arguments.of("hostPID: true\nhostIPC: true\ncontainers: [{name: c, image: i}]",
            "host namespaces (hostPID=true, hostIPC=true)"),
        Arguments.of("containers: [{name: c, image: i, securityContext: {privileged: true}}]",
            "privileged (container \"c\" must not set securityContext.privileged=true)"),
        Arguments.of("initContainers: [{name: init, image: i, securityContext: {privileged: true}}]\ncontainers: [{name: c, image: i}]",
            "privileged (container \"init\" must not set securityContext.privileged=true)"),
        Arguments.of("containers: [{name: c, image: i, securityContext: {capabilities: {add: [NET_ADMIN, CHOWN, SYS_ADMIN]}}}]",
            "non-default capabilities (container \"c\" must not include \"NET_ADMIN\", \"SYS_ADMIN\" in securityContext.capabilities.add)"),
        Arguments.of("containers: [{name: c, image: i, ports: [{containerPort: 80, hostPort: 8080}]}]",
            "hostPort (container \"c\" uses hostPort 8080)"),
        Arguments.of("containers: [{name: c, image: i, securityContext: {appArmorProfile: {type: Unconfined}}}]",
            "forbidden AppArmor profile (container \"c\" must not set the AppArmor profile to \"Unconfined\")"),
        Arguments.of("securityContext: {seLinuxOptions: {type: spc_t}}\ncontainers: [{name: c, image: i}]",
            "seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type, user or role)"),
        Arguments.of("containers: [{name: c, image: i, securityContext: {seLinuxOptions: {user: system_u}}}]",
            "seLinuxOptions (container \"c\" set forbidden securityContext.seLinuxOptions: type, user or role)"),
        Arguments.of("containers: [{name: c, image: i, securityContext: {procMount: Unmasked}}]",
            "procMount (container \"c\" must not set securityContext.procMount to \"Unmasked\")"),
        Arguments.of("securityContext: {seccompProfile: {type: Unconfined}}\ncontainers: [{name: c, image: i}]",
            "seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")"),
        Arguments.of("securityContext: {sysctls: [{name: kernel.shm_rmid_forced, value: '1'}, {name: kernel.msgmax, value: '1'}]}\n"
            + "containers: [{name: c, image: i}]", "forbidden sysctls (kernel.msgmax)"),
        Arguments.of("containers: [{name: c, image: i, securityContext: {windowsOptions: {hostProcess: true}}}]",
            "hostProcess (container \"c\" must not set securityContext.windowsOptions.hostProcess=true)"));
  }

  @ParameterizedTest
  @MethodSource("baselineRefusals")
  void baselineRefusesEachRuleAndPrivilegedAllowsIt(String spec, String violation) {
    assertEquals(List.of(violation), evaluate(PodSecurityLevel.BASELINE, spec));
    assertEquals(List.of(), evaluate(PodSecurityLevel.PRIVILEGED, spec));
  }

  @Test
  void baselineAllowsAnOrdinaryPodAndWhatIsHarmless() {
    assertEquals(List.of(), evaluate(PodSecurityLevel.BASELINE, """
        securityContext: {sysctls: [{name: net.ipv4.ip_local_port_range, value: '1024 65535'}], seLinuxOptions: {type: container_t}}
        containers:
        - name: c
          image: i
          ports: [{containerPort: 80}]
          securityContext: {capabilities: {add: [NET_BIND_SERVICE, CHOWN]}, procMount: Default, seccompProfile: {type: RuntimeDefault}}
        volumes: [{name: e, emptyDir: {}}, {name: s, secret: {secretName: x}}]
        """));
  }

  @Test
  void appArmorAnnotationsAreChecked() {
    assertEquals(List.of("forbidden AppArmor profile (container.apparmor.security.beta.kubernetes.io/c=\"unconfined\" "
            + "must not set the AppArmor profile to \"Unconfined\")"),
        evaluate(PodSecurityLevel.BASELINE, "{annotations: {container.apparmor.security.beta.kubernetes.io/c: unconfined}}",
            "containers: [{name: c, image: i}]"));
    assertEquals(List.of(), evaluate(PodSecurityLevel.BASELINE,
        "{annotations: {container.apparmor.security.beta.kubernetes.io/c: runtime/default}}", "containers: [{name: c, image: i}]"));
  }

  @Test
  void restrictedAllowsAHardenedPod() {
    assertEquals(List.of(), evaluate(PodSecurityLevel.RESTRICTED, RESTRICTED_OK));
  }

  @Test
  void restrictedRefusesAnOrdinaryPodForEachOfItsRules() {
    assertEquals(List.of(
            "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false)",
            "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true)",
            "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"])"),
        evaluate(PodSecurityLevel.RESTRICTED, "containers: [{name: c, image: i}]"));
  }

  @Test
  void restrictedRefusesRootAndExplicitFalse() {
    String root = RESTRICTED_OK.replace("runAsNonRoot: true,", "runAsNonRoot: true, runAsUser: 0,");
    assertEquals(List.of("runAsUser=0 (pod must not set runAsUser=0)"), evaluate(PodSecurityLevel.RESTRICTED, root));
    String explicitFalse = RESTRICTED_OK.replace("{allowPrivilegeEscalation: false,", "{runAsNonRoot: false, allowPrivilegeEscalation: false,");
    assertEquals(List.of("runAsNonRoot != true (container \"c\" must not set securityContext.runAsNonRoot=false)"),
        evaluate(PodSecurityLevel.RESTRICTED, explicitFalse));
  }

  @Test
  void restrictedVolumeTypesReplaceTheHostPathCheck() {
    String spec = RESTRICTED_OK + "volumes: [{name: h, hostPath: {path: /}}, {name: ok, configMap: {name: x}}]\n";
    assertEquals(List.of("restricted volume types (volume \"h\" uses restricted volume type \"hostPath\")"),
        evaluate(PodSecurityLevel.RESTRICTED, spec));
  }

  @Test
  void restrictedCapabilitiesReplaceBaselines() {
    String spec = RESTRICTED_OK.replace("drop: [ALL]", "drop: [ALL], add: [NET_BIND_SERVICE, SYS_ADMIN]");
    assertEquals(List.of("unrestricted capabilities (container \"c\" must not include \"SYS_ADMIN\" in securityContext.capabilities.add)"),
        evaluate(PodSecurityLevel.RESTRICTED, spec));
  }

  @Test
  void aContainerOverridesThePodsSeccompProfile() {
    String spec = RESTRICTED_OK.replace("{allowPrivilegeEscalation: false,", "{seccompProfile: {type: Unconfined}, allowPrivilegeEscalation: false,");
    assertEquals(List.of("seccompProfile (container \"c\" must not set securityContext.seccompProfile.type to \"Unconfined\")"),
        evaluate(PodSecurityLevel.RESTRICTED, spec));
  }

  @Test
  void everyViolationOfAPodIsNamedInOrder() {
    ObjectNode spec = (ObjectNode) yaml("""
        hostNetwork: true
        containers: [{name: c, image: i, securityContext: {privileged: true}}]
        volumes: [{name: v, hostPath: {path: /}}]
        """);
    assertEquals(List.of("host namespaces (hostNetwork=true)",
            "privileged (container \"c\" must not set securityContext.privileged=true)", "hostPath volumes (volume \"v\")"),
        PodSecurityChecks.evaluate(PodSecurityLevel.BASELINE, yaml("{}"), spec).stream().map(Object::toString).toList());
  }
}
