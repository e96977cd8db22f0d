package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A Pod: containers that share a network namespace and volumes, scheduled together onto one node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Pod(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status) implements ApiObject {

  @Override
  public Pod withMetadata(ObjectMeta metadata) {
    return new Pod(apiVersion, kind, metadata, spec, status);
  }

  public Pod withSpec(Spec spec) {
    return new Pod(apiVersion, kind, metadata, spec, status);
  }

  public Pod withStatus(Status status) {
    return new Pod(apiVersion, kind, metadata, spec, status);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(
      List<Container> containers,
      List<Container> initContainers,
      List<Volume> volumes,
      String restartPolicy,
      Map<String, String> nodeSelector,
      String nodeName,
      List<Toleration> tolerations,
      JsonNode affinity,
      Long terminationGracePeriodSeconds,
      String dnsPolicy,
      DnsConfig dnsConfig,
      String hostname,
      String subdomain,
      String serviceAccountName,
      String schedulerName,
      Integer priority,
      String priorityClassName,
      List<ObjectRef> imagePullSecrets,
      String preemptionPolicy,
      Boolean hostNetwork,
      Boolean hostPID,
      Boolean hostIPC,
      PodSecurityContext securityContext,
      // the deprecated alias of serviceAccountName, kept equal to it (as Kubernetes' defaulting does)
      String serviceAccount,
      Boolean automountServiceAccountToken) {

    public Spec withContainers(List<Container> containers) {
      return new Spec(containers, initContainers, volumes, restartPolicy, nodeSelector, nodeName, tolerations, affinity,
          terminationGracePeriodSeconds, dnsPolicy, dnsConfig, hostname, subdomain, serviceAccountName, schedulerName, priority,
          priorityClassName, imagePullSecrets, preemptionPolicy, hostNetwork, hostPID, hostIPC, securityContext,
          serviceAccount, automountServiceAccountToken);
    }

    public Spec withVolumes(List<Volume> volumes) {
      return new Spec(containers, initContainers, volumes, restartPolicy, nodeSelector, nodeName, tolerations, affinity,
          terminationGracePeriodSeconds, dnsPolicy, dnsConfig, hostname, subdomain, serviceAccountName, schedulerName, priority,
          priorityClassName, imagePullSecrets, preemptionPolicy, hostNetwork, hostPID, hostIPC, securityContext,
          serviceAccount, automountServiceAccountToken);
    }

    /** The spec with the priority its PriorityClass gives (resolved at admission). */
    public Spec withPriority(Integer priority, String priorityClassName, String preemptionPolicy) {
      return new Spec(containers, initContainers, volumes, restartPolicy, nodeSelector, nodeName, tolerations, affinity,
          terminationGracePeriodSeconds, dnsPolicy, dnsConfig, hostname, subdomain, serviceAccountName, schedulerName, priority,
          priorityClassName, imagePullSecrets, preemptionPolicy, hostNetwork, hostPID, hostIPC, securityContext,
          serviceAccount, automountServiceAccountToken);
    }

    /** The spec with its ServiceAccount named in both fields (defaulted to {@code default}). */
    public Spec withServiceAccount(String name) {
      return new Spec(containers, initContainers, volumes, restartPolicy, nodeSelector, nodeName, tolerations, affinity,
          terminationGracePeriodSeconds, dnsPolicy, dnsConfig, hostname, subdomain, name, schedulerName, priority,
          priorityClassName, imagePullSecrets, preemptionPolicy, hostNetwork, hostPID, hostIPC, securityContext,
          name, automountServiceAccountToken);
    }

    public Spec withDefaults(List<Container> containers, List<Container> initContainers, String restartPolicy,
        Long terminationGracePeriodSeconds, String dnsPolicy, String schedulerName) {
      return new Spec(containers, initContainers, volumes, restartPolicy, nodeSelector, nodeName, tolerations, affinity,
          terminationGracePeriodSeconds, dnsPolicy, dnsConfig, hostname, subdomain, serviceAccountName, schedulerName, priority,
          priorityClassName, imagePullSecrets, preemptionPolicy, hostNetwork, hostPID, hostIPC, securityContext,
          serviceAccount, automountServiceAccountToken);
    }
  }

  /**
   * The pod's resolver settings merged into what its {@code dnsPolicy} gives (Kubernetes'
   * PodDNSConfig): extra nameservers, search domains and options ({@code ndots:2}; an option
   * without a value is a flag such as {@code edns0}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DnsConfig(List<String> nameservers, List<String> searches, List<DnsOption> options) {}

  /** One resolver option: {@code name}, or {@code name:value}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DnsOption(String name, String value) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Container(
      String name,
      String image,
      List<String> command,
      List<String> args,
      String workingDir,
      List<EnvVar> env,
      List<EnvFromSource> envFrom,
      List<ContainerPort> ports,
      Resources resources,
      Probe livenessProbe,
      Probe readinessProbe,
      Probe startupProbe,
      List<VolumeMount> volumeMounts,
      String imagePullPolicy,
      String terminationMessagePath,
      String terminationMessagePolicy,
      Boolean stdin,
      Boolean stdinOnce,
      Boolean tty,
      SecurityContext securityContext) {

    public Container withDefaults(List<ContainerPort> ports, Probe liveness, Probe readiness, Probe startup,
        String imagePullPolicy, String terminationMessagePath, String terminationMessagePolicy) {
      return new Container(name, image, command, args, workingDir, env, envFrom, ports, resources, liveness, readiness, startup,
          volumeMounts, imagePullPolicy, terminationMessagePath, terminationMessagePolicy, stdin, stdinOnce, tty, securityContext);
    }

    public Container withImage(String image) {
      return new Container(name, image, command, args, workingDir, env, envFrom, ports, resources, livenessProbe, readinessProbe,
          startupProbe, volumeMounts, imagePullPolicy, terminationMessagePath, terminationMessagePolicy, stdin, stdinOnce, tty, securityContext);
    }
  }

  /**
   * The pod-level security settings (Kubernetes' PodSecurityContext): the user, group and
   * supplementary groups every container runs with unless its own {@link SecurityContext} says
   * otherwise. {@code seLinuxOptions}, {@code seccompProfile}, {@code appArmorProfile} and
   * {@code sysctls} are kept for Pod Security admission; the runtime does not apply them.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PodSecurityContext(Long runAsUser, Long runAsGroup, Boolean runAsNonRoot, List<Long> supplementalGroups,
      Long fsGroup, String fsGroupChangePolicy, JsonNode seLinuxOptions, SeccompProfile seccompProfile,
      SeccompProfile appArmorProfile, List<Sysctl> sysctls, JsonNode windowsOptions) {}

  /**
   * One container's security settings (Kubernetes' SecurityContext); a field set here overrides
   * the pod's {@link PodSecurityContext}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SecurityContext(Capabilities capabilities, Boolean privileged, JsonNode seLinuxOptions,
      JsonNode windowsOptions, Long runAsUser, Long runAsGroup, Boolean runAsNonRoot, Boolean readOnlyRootFilesystem,
      Boolean allowPrivilegeEscalation, String procMount, SeccompProfile seccompProfile,
      SeccompProfile appArmorProfile) {}

  /** Linux capabilities added to and dropped from the runtime's default set. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Capabilities(List<String> add, List<String> drop) {}

  /** A seccomp or AppArmor profile: {@code RuntimeDefault}, {@code Localhost} (with its name) or {@code Unconfined}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SeccompProfile(String type, String localhostProfile) {}

  /** A namespaced kernel parameter set for the pod. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Sysctl(String name, String value) {}

  /**
   * One variable: a {@code value}, or {@code valueFrom} a {@code fieldRef} (the downward API), a
   * {@code configMapKeyRef} or a {@code secretKeyRef} ({@code {name, key, optional}}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EnvVar(String name, String value, JsonNode valueFrom) {}

  /** Every key of a ConfigMap or a Secret as a variable, each name after {@code prefix}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EnvFromSource(String prefix, ObjectRef configMapRef, ObjectRef secretRef) {}

  /** A ConfigMap or Secret of the pod's namespace; {@code optional}: the pod starts without it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ObjectRef(String name, Boolean optional) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ContainerPort(String name, Integer containerPort, Integer hostPort, String protocol, String hostIP) {
    public ContainerPort withProtocol(String protocol) {
      return new ContainerPort(name, containerPort, hostPort, protocol, hostIP);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Resources(Map<String, Quantity> requests, Map<String, Quantity> limits) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Probe(
      HttpGet httpGet,
      TcpSocket tcpSocket,
      Exec exec,
      Integer initialDelaySeconds,
      Integer periodSeconds,
      Integer timeoutSeconds,
      Integer successThreshold,
      Integer failureThreshold) {

    public Probe withDefaults(int period, int timeout, int success, int failure) {
      return new Probe(httpGet, tcpSocket, exec, initialDelaySeconds,
          periodSeconds == null ? period : periodSeconds, timeoutSeconds == null ? timeout : timeoutSeconds,
          successThreshold == null ? success : successThreshold, failureThreshold == null ? failure : failureThreshold);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HttpGet(String path, IntOrString port, String host, String scheme) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TcpSocket(IntOrString port, String host) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Exec(List<String> command) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record VolumeMount(String name, String mountPath, Boolean readOnly, String subPath) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Volume(String name, EmptyDir emptyDir, HostPath hostPath, ConfigMapVolume configMap,
      SecretVolume secret, PersistentVolumeClaimVolume persistentVolumeClaim) {}

  /** A PersistentVolumeClaim of the pod's namespace: the node mounts the volume bound to it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PersistentVolumeClaimVolume(String claimName, Boolean readOnly) {}

  /** A ConfigMap's keys as files ({@code items}: only these, at these paths). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ConfigMapVolume(String name, List<KeyToPath> items, Integer defaultMode, Boolean optional) {}

  /** A Secret's keys as files, on tmpfs. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SecretVolume(String secretName, List<KeyToPath> items, Integer defaultMode, Boolean optional) {}

  /** One key as the file at {@code path} (relative), with its own {@code mode} or the volume's. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record KeyToPath(String key, String path, Integer mode) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EmptyDir(String medium, Quantity sizeLimit) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HostPath(String path, String type) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Toleration(String key, String operator, String value, String effect, Long tolerationSeconds) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(
      String phase,
      List<Condition> conditions,
      String message,
      String reason,
      String hostIP,
      String podIP,
      List<Map<String, String>> podIPs,
      Instant startTime,
      List<ContainerStatus> containerStatuses,
      List<ContainerStatus> initContainerStatuses,
      List<PublishedPort> publishedPorts,
      String nominatedNodeName) {

    public static Status ofPhase(String phase) {
      return new Status(phase, null, null, null, null, null, null, null, null, null, null, null);
    }

    public Status withPhase(String phase) {
      return new Status(phase, conditions, message, reason, hostIP, podIP, podIPs, startTime, containerStatuses,
          initContainerStatuses, publishedPorts, nominatedNodeName);
    }
  }

  /**
   * A Tugboat extension of the pod status: where a container port is reachable on the node
   * ({@code hostIP:hostPort}), as the node agent published it. Endpoints and the service proxy use it;
   * Kubernetes clients ignore the field.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PublishedPort(String containerName, String name, Integer containerPort, String protocol,
      String hostIP, Integer hostPort) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Condition(String type, String status, String reason, String message, Instant lastProbeTime,
      Instant lastTransitionTime) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ContainerStatus(String name, Boolean ready, Integer restartCount, String image, String imageID,
      String containerID, Boolean started, ContainerState state, ContainerState lastState) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ContainerState(Waiting waiting, Running running, Terminated terminated) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Waiting(String reason, String message) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Running(Instant startedAt) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Terminated(Integer exitCode, Integer signal, String reason, String message, Instant startedAt,
      Instant finishedAt, String containerID) {}
}
