package dev.tugboat.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Pod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service account volume the kubelet projects into every container of a pod that automounts
 * one ({@code kube-api-access-*}): under {@link #MOUNT_PATH}, read-only, {@code token} (a token of
 * the pod's account bound to the pod, for the API's audience), {@code ca.crt} (the cluster CA) and
 * {@code namespace}. The token is refreshed once 80% of its lifetime has passed, as the kubelet's
 * token manager does, and written atomically ({@link AtomicWriter}). Pure but for the issuer.
 */
public final class ServiceAccountVolume {
  public static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
  /** The volume's name on the node (Kubernetes' admission names it kube-api-access-<random>). */
  static final String NAME = "kube-api-access";

  private ServiceAccountVolume() {}

  /** Signs a pod-bound token: the member's ServiceAccount key, as TokenRequest signs (boot wires it). */
  @FunctionalInterface
  public interface Issuer {
    Token issue(String namespace, String account, String accountUid, String pod, String podUid, Duration ttl, Instant now);
  }

  /** A token and its lifetime. */
  public record Token(String value, Instant issued, Instant expiration) {
    /** Whether 80% of its lifetime has passed: the kubelet asks for a new one then. */
    public boolean due(Instant now) {
      Duration life = Duration.between(issued, expiration);
      return !now.isBefore(issued.plus(life.multipliedBy(8).dividedBy(10)));
    }

    @Override
    public String toString() {
      return "Token[expires " + expiration + "]"; // never the token
    }
  }

  /**
   * What the node agent mounts with: {@code issuer} null when this member signs no tokens (then no
   * pod gets the volume), {@code caPem} null when the API speaks plain HTTP (no {@code ca.crt}).
   */
  public record Source(Issuer issuer, String caPem, Duration ttl) {
    public static final Source NONE = new Source(null, null, Duration.ofSeconds(3607));
  }

  /**
   * Whether the pod gets the volume: its own {@code automountServiceAccountToken} wins, then the
   * account's, else yes.
   */
  static boolean automount(Pod.Spec pod, JsonNode account) {
    if (pod.automountServiceAccountToken() != null) return pod.automountServiceAccountToken();
    JsonNode a = account == null ? null : account.get("automountServiceAccountToken");
    return a == null || !a.isBoolean() || a.asBoolean();
  }

  /** The account a pod runs as ({@code default} for a pod stored before accounts existed). */
  static String account(Pod.Spec pod) {
    if (pod.serviceAccountName() != null && !pod.serviceAccountName().isEmpty()) return pod.serviceAccountName();
    if (pod.serviceAccount() != null && !pod.serviceAccount().isEmpty()) return pod.serviceAccount();
    return "default";
  }

  /** Whether a container mounts something of its own at {@link #MOUNT_PATH} (then it is left alone, as admission does). */
  static boolean mountsItsOwn(Pod.Container c) {
    return c.volumeMounts() != null && c.volumeMounts().stream().anyMatch(m -> MOUNT_PATH.equals(m.mountPath()));
  }

  /** The volume's files. */
  static Map<String, ConfigSources.File> files(Token token, String caPem, String namespace) {
    Map<String, ConfigSources.File> files = new LinkedHashMap<>();
    files.put("token", new ConfigSources.File(token.value().getBytes(StandardCharsets.UTF_8), ConfigSources.DEFAULT_MODE));
    if (caPem != null) files.put("ca.crt", new ConfigSources.File(caPem.getBytes(StandardCharsets.UTF_8), ConfigSources.DEFAULT_MODE));
    files.put("namespace", new ConfigSources.File(namespace.getBytes(StandardCharsets.UTF_8), ConfigSources.DEFAULT_MODE));
    return files;
  }
}
