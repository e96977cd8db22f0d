package dev.tugboat.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Kubernetes' validation rules for the objects Tugboat serves. Every failure is a {@link FieldError}
 * with its path, so the API can return a 422 naming each field.
 */
public final class Validation {
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern PERCENT = Pattern.compile("[0-9]+%");
  private static final String LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
      + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
      + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  private static final String SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
      + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
      + "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
  private static final List<String> HOST_PATH_TYPES = List.of("", "DirectoryOrCreate", "Directory", "FileOrCreate",
      "File", "Socket", "CharDevice", "BlockDevice");
  private static final List<String> EMPTY_DIR_MEDIA = List.of("", "Memory", "HugePages");
  private static final List<String> STANDARD_CONTAINER_RESOURCES = List.of("cpu", "memory", "ephemeral-storage");
  private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
      + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  /** The NodePort range Kubernetes uses by default; the proxy's own range is configured. */
  public static final int NODE_PORT_MIN = 30000;
  public static final int NODE_PORT_MAX = 32767;

  private Validation() {}

  // ---- names and labels -------------------------------------------------------------------------

  /**
   * What a kind's names must be: most are DNS subdomains; Namespaces and Services DNS labels, since
   * their names end up as labels of DNS names. Each kind's strategy says which.
   */
  /**
   * What a kind's names must be: DNS subdomains (most kinds), DNS labels (namespaces, services), or
   * any path segment (RBAC's roles and bindings, named {@code system:discovery} and the like): not
   * "." or "..", and no "/" or "%", as Kubernetes' {@code path.IsValidPathSegmentName}.
   */
  public enum NameRule { DNS_SUBDOMAIN, DNS_LABEL, PATH_SEGMENT }

  public static List<FieldError> validateName(NameRule rule, String name) {
    List<FieldError> errors = new ArrayList<>();
    if (name == null || name.isEmpty()) {
      errors.add(FieldError.required("metadata.name", "name or generateName is required"));
    } else if (rule == NameRule.DNS_LABEL) {
      dnsLabel(errors, "metadata.name", name);
    } else if (rule == NameRule.PATH_SEGMENT) {
      if (name.equals(".") || name.equals("..")) {
        errors.add(FieldError.invalid("metadata.name", name, "may not be '" + name + "'"));
      } else if (name.contains("/") || name.contains("%")) {
        errors.add(FieldError.invalid("metadata.name", name, "may not contain '" + (name.contains("/") ? "/" : "%") + "'"));
      }
    } else {
      if (name.length() > 253) errors.add(FieldError.invalid("metadata.name", name, "must be no more than 253 characters"));
      else if (!DNS1123_SUBDOMAIN.matcher(name).matches()) errors.add(FieldError.invalid("metadata.name", name, SUBDOMAIN_MSG));
    }
    return errors;
  }

  /** Why a label key is invalid; empty when it is valid. */
  public static List<String> labelKeyProblems(String key) {
    List<String> problems = new ArrayList<>();
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty()) problems.add("prefix part must be non-empty");
      else if (prefix.length() > 253 || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
        problems.add("prefix part " + SUBDOMAIN_MSG);
      }
    }
    if (name.isEmpty()) problems.add("name part must be non-empty");
    else if (name.length() > 63) problems.add("name part must be no more than 63 characters");
    else if (!QUALIFIED_NAME.matcher(name).matches()) {
      problems.add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
          + "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
          + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    }
    return problems;
  }

  /** Why a label value is invalid; empty when it is valid (an empty value is valid). */
  public static List<String> labelValueProblems(String value) {
    if (value.length() > 63) return List.of("must be no more than 63 characters");
    if (!LABEL_VALUE.matcher(value).matches()) {
      return List.of("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
          + "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex "
          + "used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    }
    return List.of();
  }

  // ---- objects ----------------------------------------------------------------------------------

  /**
   * The rules of every kind's metadata: name or generateName, namespace, labels, annotations. The
   * kind's own rules are its strategy's (see {@code dev.tugboat.kind.KindStrategy}), which calls
   * the functions below that belong to it.
   */
  public static List<FieldError> validateMetadata(NameRule names, ObjectMeta meta) {
    List<FieldError> e = new ArrayList<>();
    if (meta == null) {
      e.add(FieldError.required("metadata", null));
      return e;
    }
    if (meta.name() != null && !meta.name().isEmpty()) e.addAll(validateName(names, meta.name()));
    else if (meta.generateName() == null || meta.generateName().isEmpty()) {
      e.add(FieldError.required("metadata.name", "name or generateName is required"));
    }
    if (meta.generateName() != null && !meta.generateName().isEmpty()) {
      // A prefix: the generated suffix follows, so a trailing '-' is fine.
      String prefix = meta.generateName().endsWith("-")
          ? meta.generateName().substring(0, meta.generateName().length() - 1) + "a" : meta.generateName();
      for (FieldError n : validateName(names, prefix)) {
        e.add(new FieldError("metadata.generateName", n.type(), meta.generateName(), n.detail()));
      }
    }
    if (meta.namespace() != null && !meta.namespace().isEmpty()) dnsLabel(e, "metadata.namespace", meta.namespace());
    labels(e, "metadata.labels", meta.labels());
    if (meta.annotations() != null) {
      int total = 0;
      for (Map.Entry<String, String> a : meta.annotations().entrySet()) {
        for (String p : labelKeyProblems(a.getKey())) e.add(FieldError.invalid("metadata.annotations", a.getKey(), p));
        total += a.getKey().length() + (a.getValue() == null ? 0 : a.getValue().length());
      }
      if (total > 256 * 1024) e.add(FieldError.tooLong("metadata.annotations", "", 256 * 1024));
    }
    return e;
  }

  /** An object keeps its name, namespace and uid (the entity keeps them anyway; this says so). */
  public static List<FieldError> validateMetadataUpdate(ObjectMeta old, ObjectMeta updated) {
    List<FieldError> e = new ArrayList<>();
    if (old == null || updated == null) return e;
    immutable(e, "metadata.name", old.name(), updated.name());
    immutable(e, "metadata.namespace", old.namespace(), updated.namespace());
    immutable(e, "metadata.uid", old.uid(), updated.uid());
    return e;
  }

  public static void validatePod(List<FieldError> e, Pod p) {
    podSpec(e, "spec", p.spec(), List.of("Always", "OnFailure", "Never"));
  }

  /** A Deployment's and a ReplicaSet's selector never changes. */
  public static void validateSelectorUpdate(List<FieldError> e, LabelSelector before, LabelSelector after) {
    immutableSelector(e, before, after);
  }

  /** A Service keeps the cluster IP it was given. */
  public static void validateServiceUpdate(List<FieldError> e, Service o, Service s) {
    String before = o.spec() == null ? null : o.spec().clusterIP();
    String after = s.spec() == null ? null : s.spec().clusterIP();
    if (before != null && !before.isEmpty() && !before.equals(after)) {
      e.add(FieldError.invalid("spec.clusterIP", after, "field is immutable"));
    }
  }

  public static void validatePodUpdate(List<FieldError> e, Pod o, Pod p) {
    podUpdate(e, o, p);
  }

  /** An update may leave a field out (then it keeps its value) but not change it. */
  private static void immutable(List<FieldError> e, String path, String before, String after) {
    if (before != null && after != null && !before.equals(after)) e.add(FieldError.invalid(path, after, "field is immutable"));
  }

  private static void immutableSelector(List<FieldError> e, LabelSelector before, LabelSelector after) {
    if (!normalized(before).equals(normalized(after))) {
      e.add(FieldError.invalid("spec.selector", after, "field is immutable"));
    }
  }

  /** Kubernetes compares selectors semantically: an absent map or list equals an empty one. */
  private static List<Object> normalized(LabelSelector s) {
    if (s == null) return List.of();
    Map<String, String> labels = s.matchLabels() == null ? Map.of() : s.matchLabels();
    List<Object> expressions = new ArrayList<>();
    if (s.matchExpressions() != null) {
      for (LabelSelector.Expression x : s.matchExpressions()) {
        expressions.add(Arrays.asList(x.key(), x.operator(), x.values() == null ? List.of() : x.values()));
      }
    }
    return List.of(new java.util.HashMap<>(labels), expressions);
  }

  /** A pod's spec may change only in its images, and its nodeName once (the binding). */
  private static void podUpdate(List<FieldError> e, Pod old, Pod updated) {
    if (old.spec() == null || updated.spec() == null) return;
    Pod.Spec a = old.spec();
    Pod.Spec b = updated.spec();
    List<Pod.Container> aContainers = a.containers() == null ? List.of() : a.containers();
    List<Pod.Container> bContainers = b.containers() == null ? List.of() : b.containers();
    boolean sameExceptImages = aContainers.size() == bContainers.size();
    for (int i = 0; sameExceptImages && i < aContainers.size(); i++) {
      sameExceptImages = aContainers.get(i).withImage(null).equals(bContainers.get(i).withImage(null));
    }
    String nodeBefore = a.nodeName();
    boolean bindingOnly = Objects.equals(nodeBefore, b.nodeName()) || nodeBefore == null || nodeBefore.isEmpty();
    Pod.Spec bSameNodeAndImages = new Pod.Spec(a.containers(), b.initContainers(), b.volumes(), b.restartPolicy(),
        b.nodeSelector(), a.nodeName(), b.tolerations(), b.affinity(), b.terminationGracePeriodSeconds(), b.dnsPolicy(),
        b.dnsConfig(), b.hostname(), b.subdomain(),
        // a pod stored before the ServiceAccount default existed has none: the default is no change
        a.serviceAccountName() == null ? null : b.serviceAccountName(), b.schedulerName(), b.priority(), b.priorityClassName(),
        b.imagePullSecrets(), b.preemptionPolicy(), b.hostNetwork(), b.hostPID(), b.hostIPC(), b.securityContext(),
        a.serviceAccount() == null ? null : b.serviceAccount(), b.automountServiceAccountToken());
    if (!sameExceptImages || !bindingOnly || !bSameNodeAndImages.equals(a)) {
      e.add(FieldError.forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image` "
          + "or the binding `spec.nodeName` of an unscheduled pod"));
    }
  }

  // ---- pods -------------------------------------------------------------------------------------

  private static void podSpec(List<FieldError> e, String path, Pod.Spec spec, List<String> restartPolicies) {
    if (spec == null) {
      e.add(FieldError.required(path, null));
      return;
    }
    Set<String> volumes = new HashSet<>();
    if (spec.volumes() != null) {
      for (int i = 0; i < spec.volumes().size(); i++) {
        Pod.Volume v = spec.volumes().get(i);
        String vp = path + ".volumes[" + i + "]";
        if (v.name() == null || v.name().isEmpty()) e.add(FieldError.required(vp + ".name", null));
        else {
          dnsLabel(e, vp + ".name", v.name());
          if (!volumes.add(v.name())) e.add(FieldError.duplicate(vp + ".name", v.name()));
        }
        List<String> types = new ArrayList<>();
        if (v.emptyDir() != null) types.add("emptyDir");
        if (v.hostPath() != null) types.add("hostPath");
        if (v.configMap() != null) types.add("configMap");
        if (v.secret() != null) types.add("secret");
        if (v.persistentVolumeClaim() != null) types.add("persistentVolumeClaim");
        if (types.isEmpty()) {
          e.add(FieldError.required(vp,
              "must specify a volume type (emptyDir, hostPath, configMap, secret or persistentVolumeClaim)"));
        }
        if (v.persistentVolumeClaim() != null && (v.persistentVolumeClaim().claimName() == null
            || v.persistentVolumeClaim().claimName().isEmpty())) {
          e.add(FieldError.required(vp + ".persistentVolumeClaim.claimName", null));
        }
        // As Kubernetes, the error names the second type given.
        if (types.size() > 1) e.add(FieldError.forbidden(vp + "." + types.get(1), "may not specify more than 1 volume type"));
        if (v.configMap() != null) {
          if (v.configMap().name() == null || v.configMap().name().isEmpty()) {
            e.add(FieldError.required(vp + ".configMap.name", null));
          }
          projection(e, vp + ".configMap", v.configMap().items(), v.configMap().defaultMode());
        }
        if (v.secret() != null) {
          if (v.secret().secretName() == null || v.secret().secretName().isEmpty()) {
            e.add(FieldError.required(vp + ".secret.secretName", null));
          }
          projection(e, vp + ".secret", v.secret().items(), v.secret().defaultMode());
        }
        if (v.hostPath() != null && (v.hostPath().path() == null || v.hostPath().path().isEmpty())) {
          e.add(FieldError.required(vp + ".hostPath.path", null));
        }
        if (v.hostPath() != null && v.hostPath().type() != null && !HOST_PATH_TYPES.contains(v.hostPath().type())) {
          e.add(FieldError.notSupported(vp + ".hostPath.type", v.hostPath().type(), HOST_PATH_TYPES));
        }
        if (v.emptyDir() != null && v.emptyDir().medium() != null && !EMPTY_DIR_MEDIA.contains(v.emptyDir().medium())) {
          e.add(FieldError.notSupported(vp + ".emptyDir.medium", v.emptyDir().medium(), EMPTY_DIR_MEDIA));
        }
        if (v.emptyDir() != null && v.emptyDir().sizeLimit() != null) quantity(e, vp + ".emptyDir.sizeLimit", v.emptyDir().sizeLimit());
      }
    }
    if (spec.containers() == null || spec.containers().isEmpty()) {
      e.add(FieldError.required(path + ".containers", null));
    }
    if (spec.imagePullSecrets() != null) {
      for (int i = 0; i < spec.imagePullSecrets().size(); i++) {
        Pod.ObjectRef ref = spec.imagePullSecrets().get(i);
        if (ref.name() == null || ref.name().isEmpty()) e.add(FieldError.required(path + ".imagePullSecrets[" + i + "].name", null));
      }
    }
    Set<String> names = new HashSet<>();
    containers(e, path + ".containers", spec.containers(), names, volumes);
    containers(e, path + ".initContainers", spec.initContainers(), names, volumes);
    if (spec.restartPolicy() != null) {
      if (!restartPolicies.contains(spec.restartPolicy())) {
        e.add(FieldError.notSupported(path + ".restartPolicy", spec.restartPolicy(), restartPolicies));
      }
    }
    if (spec.terminationGracePeriodSeconds() != null && spec.terminationGracePeriodSeconds() < 0) {
      e.add(FieldError.invalid(path + ".terminationGracePeriodSeconds", spec.terminationGracePeriodSeconds(),
          "must be greater than or equal to 0"));
    } else if (spec.terminationGracePeriodSeconds() != null
        && spec.terminationGracePeriodSeconds() > DeleteOptions.MAX_GRACE_PERIOD_SECONDS) {
      e.add(FieldError.invalid(path + ".terminationGracePeriodSeconds", spec.terminationGracePeriodSeconds(),
          "must be at most " + DeleteOptions.MAX_GRACE_PERIOD_SECONDS + " (a year)"));
    }
    labels(e, path + ".nodeSelector", spec.nodeSelector());
    // The pod's name in the cluster DNS (hostname.subdomain.namespace.svc.<domain>): each a label.
    if (spec.hostname() != null && !spec.hostname().isEmpty()) dnsLabel(e, path + ".hostname", spec.hostname());
    if (spec.subdomain() != null && !spec.subdomain().isEmpty()) dnsLabel(e, path + ".subdomain", spec.subdomain());
    podDns(e, path, spec.dnsPolicy(), spec.dnsConfig());
    if (spec.tolerations() != null) {
      for (int i = 0; i < spec.tolerations().size(); i++) {
        Pod.Toleration t = spec.tolerations().get(i);
        String tp = path + ".tolerations[" + i + "]";
        if (t.operator() != null && !List.of("Exists", "Equal").contains(t.operator())) {
          e.add(FieldError.notSupported(tp + ".operator", t.operator(), List.of("Equal", "Exists")));
        }
        if (t.effect() != null && !t.effect().isEmpty() && !List.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(t.effect())) {
          e.add(FieldError.notSupported(tp + ".effect", t.effect(), List.of("NoExecute", "NoSchedule", "PreferNoSchedule")));
        }
      }
    }
  }

  /** What a pod's resolv.conf may hold, as Kubernetes' validateDNSPolicy and validatePodDNSConfig. */
  public static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
  /** glibc reads at most 3 nameservers (MAXNS); Kubernetes refuses more. */
  public static final int MAX_DNS_NAMESERVERS = 3;
  /** Kubernetes' MaxDNSSearchPaths and MaxDNSSearchListChars (newer glibc and musl read that many). */
  public static final int MAX_DNS_SEARCH_PATHS = 32;
  public static final int MAX_DNS_SEARCH_LIST_CHARS = 2048;

  private static void podDns(List<FieldError> e, String path, String policy, Pod.DnsConfig config) {
    if (policy != null && !DNS_POLICIES.contains(policy)) {
      e.add(FieldError.notSupported(path + ".dnsPolicy", policy, DNS_POLICIES));
    }
    String cp = path + ".dnsConfig";
    if ("None".equals(policy)) {
      if (config == null) {
        e.add(FieldError.required(cp, "must provide `dnsConfig` when `dnsPolicy` is None"));
        return;
      }
      if (config.nameservers() == null || config.nameservers().isEmpty()) {
        e.add(FieldError.required(cp + ".nameservers", "must provide at least one DNS nameserver when `dnsPolicy` is None"));
      }
    }
    if (config == null) return;
    List<String> servers = config.nameservers() == null ? List.of() : config.nameservers();
    if (servers.size() > MAX_DNS_NAMESERVERS) {
      e.add(FieldError.invalid(cp + ".nameservers", servers, "must not have more than " + MAX_DNS_NAMESERVERS + " nameservers"));
    }
    for (int i = 0; i < servers.size(); i++) {
      String server = servers.get(i);
      if (server == null || server.isEmpty()) e.add(FieldError.required(cp + ".nameservers[" + i + "]", null));
      else ip(e, cp + ".nameservers[" + i + "]", server);
    }
    List<String> searches = config.searches() == null ? List.of() : config.searches();
    if (searches.size() > MAX_DNS_SEARCH_PATHS) {
      e.add(FieldError.invalid(cp + ".searches", searches, "must not have more than " + MAX_DNS_SEARCH_PATHS + " search paths"));
    }
    if (String.join(" ", searches.stream().map(x -> x == null ? "" : x).toList()).length() > MAX_DNS_SEARCH_LIST_CHARS) {
      e.add(FieldError.invalid(cp + ".searches", searches, "must not have more than " + MAX_DNS_SEARCH_LIST_CHARS
          + " characters (including spaces) in the search list"));
    }
    for (int i = 0; i < searches.size(); i++) {
      String search = searches.get(i);
      String sp = cp + ".searches[" + i + "]";
      if (search == null || search.isEmpty()) {
        e.add(FieldError.required(sp, null));
        continue;
      }
      // As Kubernetes: a trailing dot (a fully qualified name) is allowed.
      String name = search.endsWith(".") ? search.substring(0, search.length() - 1) : search;
      if (name.length() > 253) e.add(FieldError.invalid(sp, search, "must be no more than 253 characters"));
      else if (!DNS1123_SUBDOMAIN.matcher(name).matches()) e.add(FieldError.invalid(sp, search, SUBDOMAIN_MSG));
      else {
        for (String label : name.split("\\.")) {
          if (label.length() > 63) {
            e.add(FieldError.invalid(sp, search, "each part must be no more than 63 characters"));
            break;
          }
        }
      }
    }
    if (config.options() != null) {
      for (int i = 0; i < config.options().size(); i++) {
        Pod.DnsOption option = config.options().get(i);
        if (option == null || option.name() == null || option.name().isEmpty()) {
          e.add(FieldError.required(cp + ".options[" + i + "].name", "Option.Name must not be empty"));
        }
      }
    }
  }

  private static void containers(List<FieldError> e, String path, List<Pod.Container> containers, Set<String> names,
      Set<String> volumes) {
    if (containers == null) return;
    for (int i = 0; i < containers.size(); i++) {
      Pod.Container c = containers.get(i);
      String cp = path + "[" + i + "]";
      // Port names need only be unique within a container (a Service or probe names one container's port).
      Set<String> portNames = new HashSet<>();
      if (c.name() == null || c.name().isEmpty()) e.add(FieldError.required(cp + ".name", null));
      else {
        dnsLabel(e, cp + ".name", c.name());
        if (!names.add(c.name())) e.add(FieldError.duplicate(cp + ".name", c.name()));
      }
      if (c.image() == null || c.image().isBlank()) e.add(FieldError.required(cp + ".image", null));
      if (c.ports() != null) {
        for (int j = 0; j < c.ports().size(); j++) {
          Pod.ContainerPort p = c.ports().get(j);
          String pp = cp + ".ports[" + j + "]";
          if (p.containerPort() == null) e.add(FieldError.required(pp + ".containerPort", null));
          else port(e, pp + ".containerPort", p.containerPort());
          if (p.hostPort() != null && p.hostPort() != 0) port(e, pp + ".hostPort", p.hostPort());
          if (p.name() != null && !p.name().isEmpty()) {
            portName(e, pp + ".name", p.name());
            if (!portNames.add(p.name())) e.add(FieldError.duplicate(pp + ".name", p.name()));
          }
          protocol(e, pp + ".protocol", p.protocol());
        }
      }
      if (c.env() != null) {
        for (int j = 0; j < c.env().size(); j++) {
          Pod.EnvVar v = c.env().get(j);
          if (v.name() == null || v.name().isEmpty()) e.add(FieldError.required(cp + ".env[" + j + "].name", null));
          else if (v.value() != null && v.valueFrom() != null) {
            e.add(FieldError.invalid(cp + ".env[" + j + "].valueFrom", "",
                "may not be specified when `value` is not empty"));
          }
          if (v.valueFrom() != null) valueFrom(e, cp + ".env[" + j + "].valueFrom", v.valueFrom());
        }
      }
      if (c.envFrom() != null) {
        for (int j = 0; j < c.envFrom().size(); j++) {
          Pod.EnvFromSource from = c.envFrom().get(j);
          String fp = cp + ".envFrom[" + j + "]";
          if ((from.configMapRef() == null) == (from.secretRef() == null)) {
            e.add(FieldError.invalid(fp, "", "must specify one of: `configMapRef` or `secretRef`"));
          }
          Pod.ObjectRef ref = from.configMapRef() != null ? from.configMapRef() : from.secretRef();
          if (ref != null && (ref.name() == null || ref.name().isEmpty())) {
            e.add(FieldError.required(fp + (from.configMapRef() != null ? ".configMapRef" : ".secretRef") + ".name", null));
          }
        }
      }
      resources(e, cp + ".resources", c.resources());
      probe(e, cp + ".livenessProbe", c.livenessProbe());
      probe(e, cp + ".readinessProbe", c.readinessProbe());
      probe(e, cp + ".startupProbe", c.startupProbe());
      if (c.volumeMounts() != null) {
        Set<String> mountPaths = new HashSet<>();
        for (int j = 0; j < c.volumeMounts().size(); j++) {
          Pod.VolumeMount m = c.volumeMounts().get(j);
          String mp = cp + ".volumeMounts[" + j + "]";
          if (m.name() == null || m.name().isEmpty()) e.add(FieldError.required(mp + ".name", null));
          else if (!volumes.contains(m.name())) e.add(new FieldError(mp + ".name", "FieldValueNotFound", m.name(), null));
          if (m.mountPath() == null || m.mountPath().isEmpty()) e.add(FieldError.required(mp + ".mountPath", null));
          else if (!mountPaths.add(m.mountPath())) e.add(FieldError.invalid(mp + ".mountPath", m.mountPath(), "must be unique"));
        }
      }
      if (c.imagePullPolicy() != null && !List.of("Always", "IfNotPresent", "Never").contains(c.imagePullPolicy())) {
        e.add(FieldError.notSupported(cp + ".imagePullPolicy", c.imagePullPolicy(), List.of("Always", "IfNotPresent", "Never")));
      }
    }
  }

  /** One of fieldRef, configMapKeyRef and secretKeyRef, each complete. */
  private static void valueFrom(List<FieldError> e, String path, com.fasterxml.jackson.databind.JsonNode from) {
    List<String> sources = new ArrayList<>();
    for (String source : List.of("fieldRef", "configMapKeyRef", "secretKeyRef")) {
      if (from.has(source)) sources.add(source);
    }
    if (sources.size() != 1) {
      e.add(FieldError.invalid(path, "", "must specify one of: `fieldRef`, `configMapKeyRef` or `secretKeyRef`"));
      return;
    }
    String source = sources.get(0);
    if (source.equals("fieldRef")) {
      if (from.path("fieldRef").path("fieldPath").asText("").isEmpty()) e.add(FieldError.required(path + ".fieldRef.fieldPath", null));
      return;
    }
    for (String field : List.of("name", "key")) {
      if (from.path(source).path(field).asText("").isEmpty()) e.add(FieldError.required(path + "." + source + "." + field, null));
    }
  }

  /** A ConfigMap or Secret volume's items and modes: relative paths without '..', modes in 0-0777. */
  private static void projection(List<FieldError> e, String path, List<Pod.KeyToPath> items, Integer defaultMode) {
    if (defaultMode != null && (defaultMode < 0 || defaultMode > 0777)) {
      e.add(FieldError.invalid(path + ".defaultMode", defaultMode, "must be a number between 0 and 0777 (octal), both inclusive"));
    }
    if (items == null) return;
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      Pod.KeyToPath item = items.get(i);
      String ip = path + ".items[" + i + "]";
      if (item.key() == null || item.key().isEmpty()) e.add(FieldError.required(ip + ".key", null));
      String p = item.path();
      if (p == null || p.isEmpty()) e.add(FieldError.required(ip + ".path", null));
      else if (p.startsWith("/")) e.add(FieldError.invalid(ip + ".path", p, "must be a relative path"));
      else if (Arrays.asList(p.split("/")).contains("..")) e.add(FieldError.invalid(ip + ".path", p, "must not contain '..'"));
      else if (p.startsWith("..")) e.add(FieldError.invalid(ip + ".path", p, "must not start with '..'"));
      else if (!paths.add(p)) e.add(FieldError.duplicate(ip + ".path", p));
      if (item.mode() != null && (item.mode() < 0 || item.mode() > 0777)) {
        e.add(FieldError.invalid(ip + ".mode", item.mode(), "must be a number between 0 and 0777 (octal), both inclusive"));
      }
    }
  }

  private static void resources(List<FieldError> e, String path, Pod.Resources r) {
    if (r == null) return;
    Map<String, BigDecimal> limits = new java.util.HashMap<>();
    for (Map<String, Quantity> m : Arrays.asList(r.limits(), r.requests())) {
      if (m == null) continue;
      String which = m == r.limits() ? ".limits[" : ".requests[";
      for (String name : m.keySet()) {
        boolean standard = STANDARD_CONTAINER_RESOURCES.contains(name) || name.startsWith("hugepages-");
        if (!standard && (!name.contains("/") || !labelKeyProblems(name).isEmpty())) {
          e.add(FieldError.invalid(path + which + name + "]", name, "must be a standard resource type or fully qualified"));
        }
      }
    }
    if (r.limits() != null) {
      r.limits().forEach((name, q) -> {
        BigDecimal v = quantity(e, path + ".limits[" + name + "]", q);
        if (v != null) limits.put(name, v);
      });
    }
    if (r.requests() != null) {
      r.requests().forEach((name, q) -> {
        BigDecimal v = quantity(e, path + ".requests[" + name + "]", q);
        if (v != null && limits.containsKey(name) && v.compareTo(limits.get(name)) > 0) {
          e.add(FieldError.invalid(path + ".requests", q.text(), "must be less than or equal to " + name + " limit of "
              + r.limits().get(name).text()));
        }
      });
    }
  }

  private static BigDecimal quantity(List<FieldError> e, String path, Quantity q) {
    try {
      BigDecimal v = q.value();
      if (v.signum() < 0) {
        e.add(FieldError.invalid(path, q.text(), "must be greater than or equal to 0"));
        return null;
      }
      return v;
    } catch (IllegalArgumentException ex) {
      e.add(FieldError.invalid(path, q.text(), ex.getMessage()));
      return null;
    }
  }

  private static void probe(List<FieldError> e, String path, Pod.Probe p) {
    if (p == null) return;
    int handlers = (p.httpGet() != null ? 1 : 0) + (p.tcpSocket() != null ? 1 : 0) + (p.exec() != null ? 1 : 0);
    if (handlers == 0) e.add(FieldError.required(path, "must specify a handler type"));
    if (handlers > 1) e.add(FieldError.forbidden(path, "may not specify more than 1 handler type"));
    if (p.httpGet() != null) portOrName(e, path + ".httpGet.port", p.httpGet().port(), true);
    if (p.tcpSocket() != null) portOrName(e, path + ".tcpSocket.port", p.tcpSocket().port(), true);
    if (p.exec() != null && (p.exec().command() == null || p.exec().command().isEmpty())) {
      e.add(FieldError.required(path + ".exec.command", null));
    }
    nonNegative(e, path + ".initialDelaySeconds", p.initialDelaySeconds());
    positive(e, path + ".periodSeconds", p.periodSeconds());
    positive(e, path + ".timeoutSeconds", p.timeoutSeconds());
    positive(e, path + ".successThreshold", p.successThreshold());
    positive(e, path + ".failureThreshold", p.failureThreshold());
  }

  // ---- workloads --------------------------------------------------------------------------------

  public static void validateDeployment(List<FieldError> e, Deployment d) {
    Deployment.Spec s = d.spec();
    if (s == null) {
      e.add(FieldError.required("spec", null));
      return;
    }
    nonNegative(e, "spec.replicas", s.replicas());
    nonNegative(e, "spec.minReadySeconds", s.minReadySeconds());
    nonNegative(e, "spec.revisionHistoryLimit", s.revisionHistoryLimit());
    if (s.progressDeadlineSeconds() != null) {
      positive(e, "spec.progressDeadlineSeconds", s.progressDeadlineSeconds());
      if (s.minReadySeconds() != null && s.progressDeadlineSeconds() <= s.minReadySeconds()) {
        e.add(FieldError.invalid("spec.progressDeadlineSeconds", s.progressDeadlineSeconds(),
            "must be greater than minReadySeconds"));
      }
    }
    selectorAndTemplate(e, s.selector(), s.template(), List.of("Always"));
    if (s.strategy() != null) {
      String type = s.strategy().type();
      if (type != null && !List.of("RollingUpdate", "Recreate").contains(type)) {
        e.add(FieldError.notSupported("spec.strategy.type", type, List.of("Recreate", "RollingUpdate")));
      }
      Deployment.RollingUpdate ru = s.strategy().rollingUpdate();
      if ("Recreate".equals(type) && ru != null) {
        e.add(FieldError.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
      }
      if (ru != null) {
        intOrPercent(e, "spec.strategy.rollingUpdate.maxSurge", ru.maxSurge());
        intOrPercent(e, "spec.strategy.rollingUpdate.maxUnavailable", ru.maxUnavailable());
        if (isZero(ru.maxSurge()) && isZero(ru.maxUnavailable())) {
          e.add(FieldError.invalid("spec.strategy.rollingUpdate.maxUnavailable", String.valueOf(ru.maxUnavailable()),
              "may not be 0 when `maxSurge` is 0"));
        }
      }
    }
  }

  public static void validateReplicaSet(List<FieldError> e, ReplicaSet r) {
    ReplicaSet.Spec s = r.spec();
    if (s == null) {
      e.add(FieldError.required("spec", null));
      return;
    }
    nonNegative(e, "spec.replicas", s.replicas());
    nonNegative(e, "spec.minReadySeconds", s.minReadySeconds());
    selectorAndTemplate(e, s.selector(), s.template(), List.of("Always"));
  }

  /**
   * A workload's {@code spec.selector} and {@code spec.template}: a valid selector that matches the
   * template's labels, and a valid pod spec whose restartPolicy is one of {@code restartPolicies}.
   */
  public static void selectorAndTemplate(List<FieldError> e, LabelSelector selector, PodTemplateSpec template,
      List<String> restartPolicies) {
    int before = e.size();
    if (selector == null || selector.isEmpty()) {
      e.add(FieldError.required("spec.selector", null));
    } else {
      labels(e, "spec.selector.matchLabels", selector.matchLabels());
      if (selector.matchExpressions() != null) {
        for (int i = 0; i < selector.matchExpressions().size(); i++) {
          LabelSelector.Expression x = selector.matchExpressions().get(i);
          String xp = "spec.selector.matchExpressions[" + i + "]";
          if (x.key() == null || x.key().isEmpty()) e.add(FieldError.required(xp + ".key", null));
          else for (String p : labelKeyProblems(x.key())) e.add(FieldError.invalid(xp + ".key", x.key(), p));
          if (!LabelSelector.OPERATORS.contains(x.operator())) {
            e.add(FieldError.notSupported(xp + ".operator", x.operator(), LabelSelector.OPERATORS));
          }
          boolean needsValues = "In".equals(x.operator()) || "NotIn".equals(x.operator());
          boolean hasValues = x.values() != null && !x.values().isEmpty();
          if (needsValues && !hasValues) e.add(FieldError.required(xp + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
          if (!needsValues && hasValues) e.add(FieldError.forbidden(xp + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
          if (x.values() != null) {
            for (int j = 0; j < x.values().size(); j++) {
              for (String p : labelValueProblems(x.values().get(j))) e.add(FieldError.invalid(xp + ".values[" + j + "]", x.values().get(j), p));
            }
          }
        }
      }
    }
    boolean selectorValid = e.size() == before;
    if (template == null) {
      e.add(FieldError.required("spec.template", null));
      return;
    }
    Map<String, String> labels = template.metadata() == null ? null : template.metadata().labels();
    labels(e, "spec.template.metadata.labels", labels);
    // Matching a broken selector would only repeat its errors in a confusing form.
    if (selectorValid && !selector.toSelector().matches(labels)) {
      e.add(FieldError.invalid("spec.template.metadata.labels", labels == null ? Map.of() : labels,
          "`selector` does not match template `labels`"));
    }
    podSpec(e, "spec.template.spec", template.spec(), restartPolicies);
  }

  /** A pod template without a selector (a CronJob's Job template): its labels and pod spec. */
  public static void podTemplate(List<FieldError> e, PodTemplateSpec template, List<String> restartPolicies) {
    if (template == null) {
      e.add(FieldError.required("spec.template", null));
      return;
    }
    labels(e, "spec.template.metadata.labels", template.metadata() == null ? null : template.metadata().labels());
    podSpec(e, "spec.template.spec", template.spec(), restartPolicies);
  }

  // ---- services and the rest --------------------------------------------------------------------

  public static void validateService(List<FieldError> e, Service s) {
    Service.Spec spec = s.spec();
    if (spec == null) {
      e.add(FieldError.required("spec", null));
      return;
    }
    String type = spec.type() == null ? "ClusterIP" : spec.type();
    if (!List.of("ClusterIP", "NodePort", "ExternalName").contains(type)) {
      e.add(FieldError.notSupported("spec.type", type, List.of("ClusterIP", "ExternalName", "NodePort")));
    }
    if (type.equals("ExternalName")) {
      // Only a name in the cluster DNS, answered as a CNAME: no address, no proxy, no ports needed.
      String name = spec.externalName() == null ? "" : spec.externalName();
      String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
      if (bare.isEmpty()) e.add(FieldError.required("spec.externalName", null));
      else if (bare.length() > 253) e.add(FieldError.invalid("spec.externalName", name, "must be no more than 253 characters"));
      else if (!DNS1123_SUBDOMAIN.matcher(bare).matches()) e.add(FieldError.invalid("spec.externalName", name, SUBDOMAIN_MSG));
      else if (java.util.Arrays.stream(bare.split("\\.")).anyMatch(l -> l.length() > 63)) {
        e.add(FieldError.invalid("spec.externalName", name, "each part must be no more than 63 characters"));
      }
      if (spec.clusterIP() != null && !spec.clusterIP().isEmpty()) {
        e.add(FieldError.forbidden("spec.clusterIP", "may not be set for ExternalName services"));
      }
      if (spec.ports() == null || spec.ports().isEmpty()) return;
    } else if (spec.externalName() != null && !spec.externalName().isEmpty()) {
      e.add(FieldError.forbidden("spec.externalName", "may only be set when `type` is 'ExternalName'"));
    }
    if (spec.sessionAffinity() != null && !List.of("None", "ClientIP").contains(spec.sessionAffinity())) {
      e.add(FieldError.notSupported("spec.sessionAffinity", spec.sessionAffinity(), List.of("ClientIP", "None")));
    }
    sessionAffinityConfig(e, spec);
    externalTrafficPolicy(e, type, spec.externalTrafficPolicy());
    labels(e, "spec.selector", spec.selector());
    if (spec.clusterIP() != null && !spec.clusterIP().isEmpty() && !spec.clusterIP().equals("None")) {
      ip(e, "spec.clusterIP", spec.clusterIP());
    }
    if (spec.ports() == null || spec.ports().isEmpty()) {
      e.add(FieldError.required("spec.ports", null));
      return;
    }
    Set<String> names = new HashSet<>();
    Set<String> ports = new HashSet<>();
    for (int i = 0; i < spec.ports().size(); i++) {
      Service.Port p = spec.ports().get(i);
      String pp = "spec.ports[" + i + "]";
      if (p.name() == null || p.name().isEmpty()) {
        if (spec.ports().size() > 1) e.add(FieldError.required(pp + ".name", null));
      } else {
        dnsLabel(e, pp + ".name", p.name());
        if (!names.add(p.name())) e.add(FieldError.duplicate(pp + ".name", p.name()));
      }
      if (p.port() == null) e.add(FieldError.required(pp + ".port", null));
      else {
        port(e, pp + ".port", p.port());
        if (!ports.add(p.port() + "/" + (p.protocol() == null ? "TCP" : p.protocol()))) {
          e.add(FieldError.duplicate(pp, p.port() + "/" + (p.protocol() == null ? "TCP" : p.protocol())));
        }
      }
      protocol(e, pp + ".protocol", p.protocol());
      if (p.targetPort() != null) portOrName(e, pp + ".targetPort", p.targetPort(), false);
      if (p.nodePort() != null && p.nodePort() != 0) {
        if (type.equals("ClusterIP")) {
          e.add(FieldError.forbidden(pp + ".nodePort", "may not be used when `type` is 'ClusterIP'"));
        } else if (p.nodePort() < NODE_PORT_MIN || p.nodePort() > NODE_PORT_MAX) {
          e.add(FieldError.invalid(pp + ".nodePort", p.nodePort(), "provided port is not in the valid range. The range of "
              + "valid ports is " + NODE_PORT_MIN + "-" + NODE_PORT_MAX));
        }
      }
    }
  }

  /** A ClientIP affinity's timeout, 1 to 86400 s; none without ClientIP affinity (Kubernetes' rules and messages). */
  private static void sessionAffinityConfig(List<FieldError> e, Service.Spec spec) {
    Service.SessionAffinityConfig config = spec.sessionAffinityConfig();
    if ("ClientIP".equals(spec.sessionAffinity())) {
      Integer timeout = config == null || config.clientIP() == null ? null : config.clientIP().timeoutSeconds();
      if (timeout == null) {
        e.add(FieldError.required("spec.sessionAffinityConfig", "when session affinity type is ClientIP"));
      } else if (timeout <= 0 || timeout > MAX_CLIENT_IP_TIMEOUT_SECONDS) {
        e.add(FieldError.invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", timeout,
            "must be greater than 0 and less than " + MAX_CLIENT_IP_TIMEOUT_SECONDS));
      }
    } else if (config != null) {
      e.add(FieldError.invalid("spec.sessionAffinityConfig", "{}", "must not be set when session affinity is "
          + (spec.sessionAffinity() == null ? "None" : spec.sessionAffinity())));
    }
  }

  /** Kubernetes' MaxClientIPServiceAffinitySeconds: a day. */
  public static final int MAX_CLIENT_IP_TIMEOUT_SECONDS = 86400;
  private static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");

  /** {@code Cluster} or {@code Local}, for Services reachable from outside (node ports) only. */
  private static void externalTrafficPolicy(List<FieldError> e, String type, String policy) {
    boolean external = type.equals("NodePort") || type.equals("LoadBalancer");
    if (!external) {
      if (policy != null && !policy.isEmpty()) {
        e.add(FieldError.invalid("spec.externalTrafficPolicy", policy, "may only be set for externally-accessible services"));
      }
    } else if (policy == null || policy.isEmpty()) {
      e.add(FieldError.required("spec.externalTrafficPolicy", null));
    } else if (!TRAFFIC_POLICIES.contains(policy)) {
      e.add(FieldError.notSupported("spec.externalTrafficPolicy", policy, TRAFFIC_POLICIES));
    }
  }

  public static void validateEndpoints(List<FieldError> e, Endpoints ep) {
    if (ep.subsets() == null) return;
    for (int i = 0; i < ep.subsets().size(); i++) {
      Endpoints.Subset s = ep.subsets().get(i);
      String sp = "subsets[" + i + "]";
      addresses(e, sp + ".addresses", s.addresses());
      addresses(e, sp + ".notReadyAddresses", s.notReadyAddresses());
      if (s.ports() != null) {
        for (int j = 0; j < s.ports().size(); j++) {
          Endpoints.Port p = s.ports().get(j);
          if (p.port() == null) e.add(FieldError.required(sp + ".ports[" + j + "].port", null));
          else port(e, sp + ".ports[" + j + "].port", p.port());
          protocol(e, sp + ".ports[" + j + "].protocol", p.protocol());
        }
      }
    }
  }

  private static void addresses(List<FieldError> e, String path, List<Endpoints.Address> list) {
    if (list == null) return;
    for (int j = 0; j < list.size(); j++) {
      String ip = list.get(j).ip();
      if (ip == null || ip.isEmpty()) e.add(FieldError.required(path + "[" + j + "].ip", null));
      else ip(e, path + "[" + j + "].ip", ip);
    }
  }

  public static void validateEvent(List<FieldError> e, Event ev) {
    if (ev.involvedObject() == null) e.add(FieldError.required("involvedObject", null));
    else if (ev.involvedObject().name() == null && ev.involvedObject().kind() == null) {
      e.add(FieldError.required("involvedObject.name", null));
    }
    if (ev.type() != null && !List.of("Normal", "Warning").contains(ev.type())) {
      e.add(FieldError.notSupported("type", ev.type(), List.of("Normal", "Warning")));
    }
  }

  public static void validateNode(List<FieldError> e, Node n) {
    if (n.spec() == null || n.spec().taints() == null) return;
    for (int i = 0; i < n.spec().taints().size(); i++) {
      Node.Taint t = n.spec().taints().get(i);
      String tp = "spec.taints[" + i + "]";
      if (t.key() == null || t.key().isEmpty()) e.add(FieldError.required(tp + ".key", null));
      if (t.effect() == null || !List.of("NoSchedule", "PreferNoSchedule", "NoExecute").contains(t.effect())) {
        e.add(FieldError.notSupported(tp + ".effect", t.effect(), List.of("NoExecute", "NoSchedule", "PreferNoSchedule")));
      }
    }
  }

  // ---- small rules ------------------------------------------------------------------------------

  private static void labels(List<FieldError> e, String path, Map<String, String> labels) {
    if (labels == null) return;
    labels.forEach((k, v) -> {
      for (String p : labelKeyProblems(k)) e.add(FieldError.invalid(path, k, p));
      for (String p : labelValueProblems(v == null ? "" : v)) e.add(FieldError.invalid(path, v, p));
    });
  }

  /** A DNS-1123 label: at most 63 lower-case alphanumerics and dashes. */
  public static void dnsLabel(List<FieldError> e, String path, String value) {
    if (value.length() > 63) e.add(FieldError.invalid(path, value, "must be no more than 63 characters"));
    else if (!DNS1123_LABEL.matcher(value).matches()) e.add(FieldError.invalid(path, value, LABEL_MSG));
  }

  /** A DNS-1123 subdomain (a Secret's or a class's name elsewhere in an object): at most 253 characters. */
  public static void dnsSubdomain(List<FieldError> e, String path, String value) {
    if (value.length() > 253) e.add(FieldError.invalid(path, value, "must be no more than 253 characters"));
    else if (!DNS1123_SUBDOMAIN.matcher(value).matches()) e.add(FieldError.invalid(path, value, SUBDOMAIN_MSG));
  }

  /** IANA_SVC_NAME, with Kubernetes' messages, each problem on its own. */
  public static void portName(List<FieldError> e, String path, String name) {
    if (name.length() > 15) e.add(FieldError.invalid(path, name, "must be no more than 15 characters"));
    if (!name.matches("[-a-z0-9]*")) {
      e.add(FieldError.invalid(path, name, "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"));
    }
    if (name.contains("--")) e.add(FieldError.invalid(path, name, "must not contain consecutive hyphens"));
    if (!name.matches(".*[a-z].*")) e.add(FieldError.invalid(path, name, "must contain at least one letter (a-z)"));
    if (name.startsWith("-") || name.endsWith("-")) {
      e.add(FieldError.invalid(path, name, "must not begin or end with a hyphen"));
    }
  }

  /** A literal IP address; never resolved (that would be a DNS lookup). */
  public static void ip(List<FieldError> e, String path, String ip) {
    boolean v4 = IPV4.matcher(ip).matches();
    boolean v6 = !v4 && ip.indexOf(':') >= 0 && ip.indexOf(':') != ip.lastIndexOf(':') && IPV6.matcher(ip).matches()
        && !ip.contains(":::");
    if (!v4 && !v6) e.add(FieldError.invalid(path, ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
  }

  public static void port(List<FieldError> e, String path, int port) {
    if (port < 1 || port > 65535) e.add(FieldError.invalid(path, port, "must be between 1 and 65535, inclusive"));
  }

  private static void portOrName(List<FieldError> e, String path, IntOrString value, boolean required) {
    if (value == null) {
      if (required) e.add(FieldError.required(path, null));
      return;
    }
    if (value.isInt()) port(e, path, value.intValue());
    else portName(e, path, value.strValue());
  }

  public static void protocol(List<FieldError> e, String path, String protocol) {
    if (protocol != null && !PROTOCOLS.contains(protocol)) e.add(FieldError.notSupported(path, protocol, PROTOCOLS));
  }

  /** An int (at least 0) or a percentage up to 100%, as a rolling update's maxSurge and maxUnavailable. */
  public static void intOrPercent(List<FieldError> e, String path, IntOrString v) {
    if (v == null) return;
    if (v.isInt()) {
      if (v.intValue() < 0) e.add(FieldError.invalid(path, v.intValue(), "must be greater than or equal to 0"));
    } else if (!PERCENT.matcher(v.strValue()).matches()) {
      e.add(FieldError.invalid(path, v.strValue(), "a valid percent string must be a numeric string followed by an "
          + "ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
    } else if (Integer.parseInt(v.strValue().substring(0, v.strValue().length() - 1)) > 100) {
      e.add(FieldError.invalid(path, v.strValue(), "must not be greater than 100%"));
    }
  }

  public static boolean isZero(IntOrString v) {
    return v != null && ((v.isInt() && v.intValue() == 0) || "0%".equals(v.strValue()));
  }

  public static void nonNegative(List<FieldError> e, String path, Number v) {
    if (v != null && v.longValue() < 0) e.add(FieldError.invalid(path, v, "must be greater than or equal to 0"));
  }

  public static void positive(List<FieldError> e, String path, Number v) {
    if (v != null && v.longValue() < 1) e.add(FieldError.invalid(path, v, "must be greater than or equal to 1"));
  }
}
