package dev.tugboat.kinds.pod;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Every check of the Pod Security Standards (Kubernetes' {@code pod-security-admission/policy},
 * version "latest"), each a pure function of a pod's metadata and spec as JSON, so that pods and the
 * pod templates of workloads are checked alike. A violation carries Kubernetes' forbidden reason
 * and detail, word for word where Kubernetes has one, so its messages read the same:
 * {@code hostPath volumes (volume "v")}.
 */
public final class PodSecurityChecks {
  private PodSecurityChecks() {}

  /** One failed check: what is forbidden, and where. */
  public record Violation(String reason, String detail) {
    /** As Kubernetes prints it: {@code reason (detail)}. */
    @Override
    public String toString() {
      return detail.isEmpty() ? reason : reason + " (" + detail + ")";
    }
  }

  /**
   * One check: its Kubernetes id, the lowest level that applies it, and the baseline check it
   * replaces at restricted (restricted's capabilities check is stricter than baseline's: only its
   * own message is given).
   */
  public record Check(String id, PodSecurityLevel level, String overrides,
      Function<PodView, Optional<Violation>> rule) {}

  /** The parts of a pod the checks read: its annotations and its spec. */
  public record PodView(JsonNode metadata, JsonNode spec) {
    /** Every container, init and ephemeral ones included: each is a process on the host. */
    List<JsonNode> containers() {
      List<JsonNode> all = new ArrayList<>();
      for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
        spec.path(field).forEach(all::add);
      }
      return all;
    }

    JsonNode podContext() {
      return spec.path("securityContext");
    }
  }

  /** Capabilities a container may add under baseline: Docker's (and containerd's) default set. */
  static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID",
      "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

  /** Sysctls namespaced per pod and harmless to the node (Kubernetes' safe set). */
  static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
      "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
      "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");

  /** SELinux types a container may run as under baseline ("" is the runtime's default). */
  static final Set<String> SELINUX_TYPES = Set.of("", "container_t", "container_init_t", "container_kvm_t",
      "container_engine_t");

  /** Volume types allowed under restricted: none of them reaches the host's files. */
  static final List<String> RESTRICTED_VOLUMES = List.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
      "persistentVolumeClaim", "projected", "secret");

  private static final String APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

  /** All checks, baseline's then restricted's, in Kubernetes' order. */
  public static final List<Check> ALL = List.of(
      new Check("hostProcess", PodSecurityLevel.BASELINE, null, PodSecurityChecks::hostProcess),
      new Check("hostNamespaces", PodSecurityLevel.BASELINE, null, PodSecurityChecks::hostNamespaces),
      new Check("privileged", PodSecurityLevel.BASELINE, null, PodSecurityChecks::privileged),
      new Check("capabilities_baseline", PodSecurityLevel.BASELINE, null, PodSecurityChecks::capabilitiesBaseline),
      new Check("hostPathVolumes", PodSecurityLevel.BASELINE, null, PodSecurityChecks::hostPathVolumes),
      new Check("hostPorts", PodSecurityLevel.BASELINE, null, PodSecurityChecks::hostPorts),
      new Check("appArmorProfile", PodSecurityLevel.BASELINE, null, PodSecurityChecks::appArmor),
      new Check("seLinuxOptions", PodSecurityLevel.BASELINE, null, PodSecurityChecks::seLinux),
      new Check("procMount", PodSecurityLevel.BASELINE, null, PodSecurityChecks::procMount),
      new Check("seccompProfile_baseline", PodSecurityLevel.BASELINE, null, PodSecurityChecks::seccompBaseline),
      new Check("sysctls", PodSecurityLevel.BASELINE, null, PodSecurityChecks::sysctls),
      new Check("restrictedVolumes", PodSecurityLevel.RESTRICTED, "hostPathVolumes", PodSecurityChecks::restrictedVolumes),
      new Check("allowPrivilegeEscalation", PodSecurityLevel.RESTRICTED, null, PodSecurityChecks::privilegeEscalation),
      new Check("runAsNonRoot", PodSecurityLevel.RESTRICTED, null, PodSecurityChecks::runAsNonRoot),
      new Check("runAsUser", PodSecurityLevel.RESTRICTED, null, PodSecurityChecks::runAsUser),
      new Check("seccompProfile_restricted", PodSecurityLevel.RESTRICTED, "seccompProfile_baseline",
          PodSecurityChecks::seccompRestricted),
      new Check("capabilities_restricted", PodSecurityLevel.RESTRICTED, "capabilities_baseline",
          PodSecurityChecks::capabilitiesRestricted));

  /** What {@code level} forbids in the pod, in check order; empty when it is allowed. */
  public static List<Violation> evaluate(PodSecurityLevel level, JsonNode metadata, JsonNode spec) {
    PodView pod = new PodView(metadata, spec);
    Set<String> overridden = new LinkedHashSet<>();
    for (Check c : ALL) {
      if (c.level().compareTo(level) <= 0 && c.overrides() != null) overridden.add(c.overrides());
    }
    List<Violation> violations = new ArrayList<>();
    for (Check c : ALL) {
      if (c.level().compareTo(level) > 0 || overridden.contains(c.id())) continue;
      c.rule().apply(pod).ifPresent(violations::add);
    }
    return violations;
  }

  // ---- baseline ------------------------------------------------------------------------------

  static Optional<Violation> hostProcess(PodView pod) {
    List<String> names = new ArrayList<>();
    boolean podLevel = pod.podContext().path("windowsOptions").path("hostProcess").asBoolean(false);
    for (JsonNode c : pod.containers()) {
      if (c.path("securityContext").path("windowsOptions").path("hostProcess").asBoolean(false)) names.add(name(c));
    }
    if (!podLevel && names.isEmpty()) return Optional.empty();
    String who = podLevel && names.isEmpty() ? "pod" : podLevel ? "pod and " + containers(names) : containers(names);
    return Optional.of(new Violation("hostProcess", who + " must not set securityContext.windowsOptions.hostProcess=true"));
  }

  static Optional<Violation> hostNamespaces(PodView pod) {
    List<String> set = new ArrayList<>();
    for (String field : List.of("hostNetwork", "hostPID", "hostIPC")) {
      if (pod.spec().path(field).asBoolean(false)) set.add(field + "=true");
    }
    return set.isEmpty() ? Optional.empty() : Optional.of(new Violation("host namespaces", String.join(", ", set)));
  }

  static Optional<Violation> privileged(PodView pod) {
    List<String> names = containersWhere(pod, c -> c.path("securityContext").path("privileged").asBoolean(false));
    return names.isEmpty() ? Optional.empty()
        : Optional.of(new Violation("privileged", containers(names) + " must not set securityContext.privileged=true"));
  }

  static Optional<Violation> capabilitiesBaseline(PodView pod) {
    List<String> names = new ArrayList<>();
    Set<String> added = new LinkedHashSet<>();
    for (JsonNode c : pod.containers()) {
      boolean bad = false;
      for (JsonNode cap : c.path("securityContext").path("capabilities").path("add")) {
        if (!BASELINE_CAPABILITIES.contains(cap.asText())) {
          added.add(quote(cap.asText()));
          bad = true;
        }
      }
      if (bad) names.add(name(c));
    }
    return names.isEmpty() ? Optional.empty() : Optional.of(new Violation("non-default capabilities",
        containers(names) + " must not include " + String.join(", ", added) + " in securityContext.capabilities.add"));
  }

  static Optional<Violation> hostPathVolumes(PodView pod) {
    List<String> names = new ArrayList<>();
    for (JsonNode v : pod.spec().path("volumes")) {
      if (v.has("hostPath") && !v.path("hostPath").isNull()) names.add(v.path("name").asText());
    }
    return names.isEmpty() ? Optional.empty()
        : Optional.of(new Violation("hostPath volumes", plural(names, "volume", "volumes")));
  }

  static Optional<Violation> hostPorts(PodView pod) {
    List<String> names = new ArrayList<>();
    Set<String> ports = new LinkedHashSet<>();
    for (JsonNode c : pod.containers()) {
      boolean uses = false;
      for (JsonNode p : c.path("ports")) {
        int hostPort = p.path("hostPort").asInt(0);
        if (hostPort != 0) {
          ports.add(Integer.toString(hostPort));
          uses = true;
        }
      }
      if (uses) names.add(name(c));
    }
    return names.isEmpty() ? Optional.empty() : Optional.of(new Violation("hostPort",
        containers(names) + " " + (names.size() == 1 ? "uses" : "use") + " " + (ports.size() == 1 ? "hostPort " : "hostPorts ")
            + String.join(", ", ports)));
  }

  static Optional<Violation> appArmor(PodView pod) {
    List<String> bad = new ArrayList<>();
    if (isUnconfined(pod.podContext().path("appArmorProfile"))) bad.add("pod");
    for (JsonNode c : pod.containers()) {
      if (isUnconfined(c.path("securityContext").path("appArmorProfile"))) bad.add("container " + quote(name(c)));
    }
    Iterator<Map.Entry<String, JsonNode>> annotations = pod.metadata().path("annotations").fields();
    while (annotations.hasNext()) {
      Map.Entry<String, JsonNode> a = annotations.next();
      String value = a.getValue().asText();
      if (a.getKey().startsWith(APPARMOR_ANNOTATION) && !value.equals("runtime/default") && !value.startsWith("localhost/")) {
        bad.add(a.getKey() + "=" + quote(value));
      }
    }
    return bad.isEmpty() ? Optional.empty() : Optional.of(new Violation("forbidden AppArmor profile",
        String.join(", ", bad) + " must not set the AppArmor profile to \"Unconfined\""));
  }

  private static boolean isUnconfined(JsonNode profile) {
    return "Unconfined".equals(profile.path("type").asText(""));
  }

  static Optional<Violation> seLinux(PodView pod) {
    List<String> bad = new ArrayList<>();
    if (badSeLinux(pod.podContext().path("seLinuxOptions"))) bad.add("pod");
    for (JsonNode c : pod.containers()) {
      if (badSeLinux(c.path("securityContext").path("seLinuxOptions"))) bad.add("container " + quote(name(c)));
    }
    return bad.isEmpty() ? Optional.empty() : Optional.of(new Violation("seLinuxOptions",
        String.join(", ", bad) + " set forbidden securityContext.seLinuxOptions: type, user or role"));
  }

  private static boolean badSeLinux(JsonNode options) {
    if (options.isMissingNode() || options.isNull()) return false;
    return !SELINUX_TYPES.contains(options.path("type").asText(""))
        || !options.path("user").asText("").isEmpty() || !options.path("role").asText("").isEmpty();
  }

  static Optional<Violation> procMount(PodView pod) {
    List<String> names = containersWhere(pod, c -> {
      String mount = c.path("securityContext").path("procMount").asText("");
      return !mount.isEmpty() && !mount.equals("Default");
    });
    return names.isEmpty() ? Optional.empty() : Optional.of(new Violation("procMount",
        containers(names) + " must not set securityContext.procMount to \"Unmasked\""));
  }

  static Optional<Violation> seccompBaseline(PodView pod) {
    List<String> bad = new ArrayList<>();
    if (isUnconfined(pod.podContext().path("seccompProfile"))) bad.add("pod");
    for (JsonNode c : pod.containers()) {
      if (isUnconfined(c.path("securityContext").path("seccompProfile"))) bad.add("container " + quote(name(c)));
    }
    return bad.isEmpty() ? Optional.empty() : Optional.of(new Violation("seccompProfile",
        String.join(", ", bad) + " must not set securityContext.seccompProfile.type to \"Unconfined\""));
  }

  static Optional<Violation> sysctls(PodView pod) {
    List<String> bad = new ArrayList<>();
    for (JsonNode s : pod.podContext().path("sysctls")) {
      if (!SAFE_SYSCTLS.contains(s.path("name").asText())) bad.add(s.path("name").asText());
    }
    return bad.isEmpty() ? Optional.empty() : Optional.of(new Violation("forbidden sysctls", String.join(", ", bad)));
  }

  // ---- restricted ----------------------------------------------------------------------------

  static Optional<Violation> restrictedVolumes(PodView pod) {
    List<String> names = new ArrayList<>();
    Set<String> types = new LinkedHashSet<>();
    for (JsonNode v : pod.spec().path("volumes")) {
      Iterator<String> fields = v.fieldNames();
      while (fields.hasNext()) {
        String field = fields.next();
        if (field.equals("name") || v.path(field).isNull() || RESTRICTED_VOLUMES.contains(field)) continue;
        names.add(v.path("name").asText());
        types.add(quote(field));
      }
    }
    return names.isEmpty() ? Optional.empty() : Optional.of(new Violation("restricted volume types",
        plural(names, "volume", "volumes") + " " + (names.size() == 1 ? "uses" : "use") + " restricted volume "
            + (types.size() == 1 ? "type " : "types ") + String.join(", ", types)));
  }

  static Optional<Violation> privilegeEscalation(PodView pod) {
    List<String> names = containersWhere(pod, c -> {
      JsonNode allow = c.path("securityContext").path("allowPrivilegeEscalation");
      return !allow.isBoolean() || allow.asBoolean();
    });
    return names.isEmpty() ? Optional.empty() : Optional.of(new Violation("allowPrivilegeEscalation != false",
        containers(names) + " must set securityContext.allowPrivilegeEscalation=false"));
  }

  static Optional<Violation> runAsNonRoot(PodView pod) {
    JsonNode podValue = pod.podContext().path("runAsNonRoot");
    boolean podTrue = podValue.isBoolean() && podValue.asBoolean();
    boolean podFalse = podValue.isBoolean() && !podValue.asBoolean();
    List<String> explicitFalse = new ArrayList<>();
    List<String> unset = new ArrayList<>();
    for (JsonNode c : pod.containers()) {
      JsonNode value = c.path("securityContext").path("runAsNonRoot");
      if (value.isBoolean() && !value.asBoolean()) explicitFalse.add(name(c));
      else if (!value.isBoolean() && !podTrue) unset.add(name(c));
    }
    if (!podFalse && explicitFalse.isEmpty() && unset.isEmpty()) return Optional.empty();
    List<String> parts = new ArrayList<>();
    if (podFalse) parts.add("pod must not set securityContext.runAsNonRoot=false");
    if (!explicitFalse.isEmpty()) parts.add(containers(explicitFalse) + " must not set securityContext.runAsNonRoot=false");
    if (!unset.isEmpty()) {
      parts.add("pod or " + containers(unset) + " must set securityContext.runAsNonRoot=true");
    }
    return Optional.of(new Violation("runAsNonRoot != true", String.join("; ", parts)));
  }

  static Optional<Violation> runAsUser(PodView pod) {
    List<String> bad = new ArrayList<>();
    JsonNode podUser = pod.podContext().path("runAsUser");
    if (podUser.isNumber() && podUser.asLong() == 0) bad.add("pod");
    List<String> names = containersWhere(pod, c -> {
      JsonNode user = c.path("securityContext").path("runAsUser");
      return user.isNumber() && user.asLong() == 0;
    });
    if (!names.isEmpty()) bad.add(containers(names));
    return bad.isEmpty() ? Optional.empty() : Optional.of(new Violation("runAsUser=0",
        String.join(" and ", bad) + " must not set runAsUser=0"));
  }

  static Optional<Violation> seccompRestricted(PodView pod) {
    Optional<Violation> unconfined = seccompBaseline(pod);
    if (unconfined.isPresent()) return unconfined;
    boolean podSet = allowedSeccomp(pod.podContext().path("seccompProfile"));
    List<String> unset = containersWhere(pod, c -> {
      JsonNode profile = c.path("securityContext").path("seccompProfile");
      return !allowedSeccomp(profile) && !(podSet && profile.path("type").asText("").isEmpty());
    });
    return unset.isEmpty() ? Optional.empty() : Optional.of(new Violation("seccompProfile",
        "pod or " + containers(unset) + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\""));
  }

  private static boolean allowedSeccomp(JsonNode profile) {
    String type = profile.path("type").asText("");
    return type.equals("RuntimeDefault") || type.equals("Localhost");
  }

  static Optional<Violation> capabilitiesRestricted(PodView pod) {
    List<String> undropped = new ArrayList<>();
    List<String> adding = new ArrayList<>();
    Set<String> added = new LinkedHashSet<>();
    for (JsonNode c : pod.containers()) {
      JsonNode caps = c.path("securityContext").path("capabilities");
      boolean dropsAll = false;
      for (JsonNode d : caps.path("drop")) dropsAll |= d.asText().equals("ALL");
      if (!dropsAll) undropped.add(name(c));
      boolean bad = false;
      for (JsonNode a : caps.path("add")) {
        if (!a.asText().equals("NET_BIND_SERVICE")) {
          added.add(quote(a.asText()));
          bad = true;
        }
      }
      if (bad) adding.add(name(c));
    }
    if (undropped.isEmpty() && adding.isEmpty()) return Optional.empty();
    List<String> parts = new ArrayList<>();
    if (!undropped.isEmpty()) parts.add(containers(undropped) + " must set securityContext.capabilities.drop=[\"ALL\"]");
    if (!adding.isEmpty()) {
      parts.add(containers(adding) + " must not include " + String.join(", ", added) + " in securityContext.capabilities.add");
    }
    return Optional.of(new Violation("unrestricted capabilities", String.join("; ", parts)));
  }

  // ---- wording -------------------------------------------------------------------------------

  private static List<String> containersWhere(PodView pod, java.util.function.Predicate<JsonNode> test) {
    List<String> names = new ArrayList<>();
    for (JsonNode c : pod.containers()) if (test.test(c)) names.add(name(c));
    return names;
  }

  private static String name(JsonNode container) {
    return container.path("name").asText("");
  }

  /** {@code container "a"} or {@code containers "a", "b"}, as Kubernetes words it. */
  static String containers(List<String> names) {
    return plural(names, "container", "containers");
  }

  private static String plural(List<String> names, String one, String many) {
    return (names.size() == 1 ? one : many) + " " + String.join(", ", names.stream().map(PodSecurityChecks::quote).toList());
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
