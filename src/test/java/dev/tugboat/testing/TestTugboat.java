package dev.tugboat.testing;

import com.typesafe.config.ConfigFactory;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Tugboat member in the test JVM, on the shared Cassandra with a keyspace of its own, its API on a
 * free port. Control-plane only unless the test asks for the worker role (then it runs a node agent
 * and must remove its containers afterwards: {@link Containers}).
 */
public final class TestTugboat {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private TestTugboat() {}

  /**
   * Settings for a worker member of a class that runs beside the rest of the suite
   * ({@code @Execution(CONCURRENT)}). A worker answers on host-wide addresses that are the same for
   * every cluster on the host: the DNS server on the pod gateway's port 53, the cluster IPs (a
   * Service's is derived from its name, so {@code default/kubernetes} has the same one in every
   * cluster) and the pod ports. Whichever cluster binds one first answers the other's pods. A member
   * with these settings leaves them to the others: no DNS server, loopback cluster IPs (reached from
   * the host, not from pods) and pod ports of a range no other test uses. NodePorts and the ingress
   * listen on the member's own node address and need nothing.
   */
  public static final Map<String, Object> BESIDE_OTHERS = Map.of(
      "tugboat.dns.enabled", false,
      "tugboat.proxy.cluster-ip-range", "127.16.0.0/12",
      "tugboat.proxy.pod-port-range", "15000-19999");

  public static Tugboat start(EmbeddedCassandra cassandra, String name) {
    return start(cassandra, name + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet(), Map.of());
  }

  /**
   * A control plane that serves the API and runs no scheduler or workload controllers, as a
   * kube-apiserver without kube-controller-manager: tests of the API itself see only their own writes.
   */
  public static Tugboat startApiOnly(EmbeddedCassandra cassandra, String name) {
    return start(cassandra, name + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet(),
        Map.of("tugboat.controllers.run", java.util.List.of("namespace")));
  }

  /** Starts a member on {@code keyspace} (reused across restarts of the same test). */
  public static Tugboat start(EmbeddedCassandra cassandra, String keyspace, Map<String, Object> extra) {
    Map<String, Object> o = new HashMap<>(extra);
    o.put("tugboat.cassandra.contact-points", cassandra.host() + ":" + cassandra.port());
    o.put("tugboat.cassandra.keyspace", keyspace.toLowerCase());
    o.put("tugboat.api.port", 0);
    o.putIfAbsent("tugboat.node-name", "test-node");
    o.putIfAbsent("pekko.cluster.roles", java.util.List.of("control-plane"));
    o.put("tugboat.data-dir", SharedCassandra.itDir().resolve("tugboat-" + keyspace).toString());
    return Tugboat.start(Tugboat.loadConfig(ConfigFactory.parseMap(o)));
  }

  /**
   * The option that points {@code tug} at {@code tugboat} as its admin: a kubeconfig of this member
   * alone ({@link #kubeconfig}) when it serves TLS, else {@code --server=<url>}.
   */
  public static String tugServerOption(Tugboat tugboat) {
    return tugboat.tls().isEmpty() ? "--server=" + tugboat.apiUrl() : "--kubeconfig=" + kubeconfig(tugboat);
  }

  /**
   * A kubeconfig of {@code tugboat}'s admin naming this member alone (its URL, CA and admin
   * certificate), written on each call: members sharing a data directory overwrite the one they write.
   */
  public static java.nio.file.Path kubeconfig(Tugboat tugboat) {
    dev.tugboat.security.ClusterCa ca = tugboat.tls().orElseThrow(() -> new IllegalStateException(
        "no TLS on " + tugboat.apiUrl())).ca();
    java.nio.file.Path file = tugboat.settings().dataDir().resolve("kubeconfig-" + tugboat.apiPort());
    dev.tugboat.security.Kubeconfig.write(file, tugboat.apiUrl(), ca);
    return file;
  }
}
