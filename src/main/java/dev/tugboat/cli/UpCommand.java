package dev.tugboat.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.tugboat.boot.LogFormat;
import dev.tugboat.boot.Tugboat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tug up}: starts a local Tugboat member in the foreground (by default both roles, the
 * embedded Cassandra and the API on 127.0.0.1:8080) until Ctrl-C; with {@code --workers N}, N more
 * worker members join it from the same process, so one machine shows a cluster of several nodes.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start a local Tugboat (embedded Cassandra, one cluster member, the HTTP API) until Ctrl-C.")
final class UpCommand implements Callable<Integer> {
  @Option(names = "--api-port", description = "Port of the HTTP API (default ${DEFAULT-VALUE}; 0 picks a free one).")
  Integer apiPort;

  @Option(names = "--api-host", description = "Address the HTTP API binds to (default 127.0.0.1).")
  String apiHost;

  @Option(names = "--data-dir", description = "Directory for Tugboat's files (default ~/.tugboat).")
  Path dataDir;

  @Option(names = "--cassandra-port", description = "CQL port of the embedded Cassandra (default 9042).")
  Integer cassandraPort;

  @Option(names = "--cassandra", description = "Use this external Cassandra (host:port,...) instead of the embedded one.")
  String cassandra;

  @Option(names = "--keyspace", description = "Journal keyspace, so instances sharing a Cassandra stay apart (default tugboat).")
  String keyspace;

  @Option(names = "--node-name", description = "Name of this member's Node (default: the host name).")
  String nodeName;

  @Option(names = "--remote-port", description = "Pekko remoting port (default: a free one).")
  Integer remotePort;

  @Option(names = "--seed", description = "host:port of a member to join (repeatable). None: form a new cluster.")
  List<String> seeds = new ArrayList<>();

  @Option(names = "--roles", split = ",", description = "Cluster roles (default control-plane,worker).")
  List<String> roles;

  @Option(names = "--apply", description = "Once up, create the objects of this manifest file (e.g. examples/web.yaml).")
  Path apply;

  @Option(names = "--pki-dir", description = "The cluster CA's directory (default <data-dir>/pki). Members of one "
      + "cluster share one, so a client trusts every member's API.")
  Path pkiDir;

  @Option(names = "--insecure-http", description = "Serve the API over plain HTTP, every request anonymous and allowed "
      + "everything (default: HTTPS with a cluster CA in <data-dir>/pki, the admin's kubeconfig at <data-dir>/kubeconfig, RBAC).")
  boolean insecureHttp;

  @Option(names = "--workers", description = "Extra worker members to start in this process, each a node of its own "
      + "(<node-name>-w1, ...) publishing on 127.0.0.2, 127.0.0.3, ... (default 0).")
  int workers;

  @Option(names = "--log-format", defaultValue = "${env:TUGBOAT_LOG_FORMAT:-text}",
      description = "Log as text (for a terminal) or json (one object a line, for a log collector); "
          + "default ${DEFAULT-VALUE}, or TUGBOAT_LOG_FORMAT.")
  LogFormat logFormat;

  @Override
  public Integer call() {
    logFormat.apply();
    Config config = Tugboat.loadConfig(ConfigFactory.parseMap(overrides()));
    Tugboat tugboat;
    try {
      tugboat = Tugboat.start(config);
    } catch (RuntimeException e) {
      System.err.println("tug up: " + e.getMessage());
      return 1;
    }
    List<Tugboat> extra = new ArrayList<>();
    AtomicBoolean abandoned = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (abandoned.get()) return; // its resources are closed already, and waiting on the system would hang
      extra.forEach(Tugboat::close);
      tugboat.close();
    }, "tug-up-shutdown"));
    for (int i = 1; i <= workers; i++) {
      try {
        extra.add(Tugboat.start(Tugboat.loadConfig(ConfigFactory.parseMap(workerOverrides(tugboat, i)))));
      } catch (RuntimeException e) {
        System.err.println("tug up: worker " + i + " did not start: " + e.getMessage());
        return 1;
      }
    }
    var cassandra = tugboat.cassandra();
    System.out.println("Tugboat is up.");
    System.out.println("  API:       " + tugboat.apiUrl());
    System.out.println("  Node:      " + tugboat.settings().nodeName());
    for (Tugboat w : extra) {
      System.out.println("  Worker:    " + w.settings().nodeName() + " on "
          + w.system().settings().config().getString("tugboat.node.address") + ", API " + w.apiUrl());
    }
    System.out.println("  Cassandra: " + (cassandra == null
        ? "external " + String.join(",", tugboat.settings().cassandraContactPoints())
        : (cassandra.startedHere() ? "embedded" : "reused") + " on " + cassandra.host() + ":" + cassandra.port()
            + ", log " + cassandra.logFile()));
    System.out.println("  Keyspace:  " + tugboat.settings().keyspace());
    if (tugboat.tls().isPresent()) {
      System.out.println("  CA:        " + tugboat.tls().get().ca().dir().resolve("ca.crt"));
      System.out.println("Use it with:");
      System.out.println("  export KUBECONFIG=" + tugboat.kubeconfig());
    } else {
      System.err.println("WARNING: the API is served over plain HTTP without authentication (--insecure-http or "
          + "tugboat.api.tls.enabled = off): anyone who reaches " + tugboat.apiUrl() + " is its admin.");
    }
    if (apply != null) applyExample(tugboat);
    System.out.println("Press Ctrl-C to stop.");
    boolean terminated = awaitTermination(tugboat.system(), TERMINATION_GRACE);
    int code = exitCode(CoordinatedShutdown.get(tugboat.system()).getShutdownReason());
    if (!terminated) {
      abandoned.set(true);
      System.err.println("tug up: the actor system did not terminate within " + TERMINATION_GRACE.toSeconds()
          + " s of its last shutdown phase; its threads:\n" + threadDump() + "tug up: exiting without it");
      extra.forEach(Tugboat::closeResources);
      tugboat.closeResources();
    }
    return code;
  }

  /**
   * How long after its shutdown's last phase began the actor system may take to terminate. Each
   * phase is bounded (pekko.coordinated-shutdown), but the termination itself waits for every actor
   * to finish the message it is handling: one blocked in a call that never returns would keep a
   * downed member running forever, and its service manager would never restart it.
   */
  static final Duration TERMINATION_GRACE = Duration.ofSeconds(20);

  /**
   * Waits until {@code system} has terminated, or until {@code grace} after its coordinated
   * shutdown reached the actor-system-terminate phase; whether it terminated.
   */
  static boolean awaitTermination(ActorSystem<?> system, Duration grace) {
    var terminated = system.getWhenTerminated().toCompletableFuture();
    var lastPhase = new CompletableFuture<Void>();
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(CoordinatedShutdown.PhaseActorSystemTerminate(), "tug-up-termination-grace", () -> {
      lastPhase.complete(null);
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    // A task added once the shutdown has begun is not run: then every phase has its whole time.
    if (shutdown.getShutdownReason().isPresent()) {
      grace = grace.plus(Duration.ofMillis(shutdown.totalTimeout().toMillis()));
      lastPhase.complete(null);
    }
    CompletableFuture.anyOf(terminated, lastPhase).join();
    try {
      terminated.get(grace.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return true; // it ended, if not cleanly
    }
  }

  private static String threadDump() {
    StringBuilder out = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      out.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
      for (StackTraceElement e : stack) out.append("    at ").append(e).append('\n');
    });
    return out.toString();
  }

  /** Exit status when a member was downed: a service manager restarts it, and it rejoins as a new member. */
  static final int DOWNED = 3;

  /**
   * 0 after Ctrl-C; {@link #DOWNED} when the cluster downed this member (cut off from the
   * majority, or frozen past the Split Brain Resolver's wait): it cannot rejoin with the same actor
   * system, and a new start is all it takes (deploy/systemd/tugboat.service restarts it).
   */
  static int exitCode(Optional<CoordinatedShutdown.Reason> reason) {
    if (reason.map(CoordinatedShutdown.clusterDowningReason()::equals).orElse(false)) {
      System.err.println("tug up: this member was downed by its cluster (cut off from the majority, or frozen);"
          + " its pods were stopped. Start it again to rejoin (exit status " + DOWNED + ").");
      return DOWNED;
    }
    return 0;
  }

  private void applyExample(Tugboat tugboat) {
    try {
      ManifestApplier applier = new ManifestApplier(tugboat.apiUrl(), tugboat.tls()
          .map(t -> dev.tugboat.security.ClusterCa.clientContext(t.ca().caPem(), t.ca().admin())).orElse(null));
      // The default namespace is created as the member starts; wait for the store to take writes.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      List<String> lines = applier.createAll(apply);
      while (lines.stream().anyMatch(l -> l.contains("not found")) && System.nanoTime() < deadline) {
        Thread.sleep(500);
        lines = applier.createAll(apply);
      }
      lines.forEach(l -> System.out.println("  " + l));
    } catch (Exception e) {
      System.err.println("tug up: cannot apply " + apply + ": " + e.getMessage());
    }
  }

  /** The i-th extra worker: joins the first member, uses its Cassandra, a node name and address of its own. */
  private Map<String, Object> workerOverrides(Tugboat first, int i) {
    Map<String, Object> o = overrides();
    o.put("pekko.cluster.roles", List.of("worker"));
    o.put("pekko.cluster.seed-nodes", List.of(org.apache.pekko.cluster.typed.Cluster.get(first.system()).selfMember().address().toString()));
    o.put("pekko.remote.artery.canonical.port", 0);
    o.put("tugboat.api.port", 0);
    o.put("tugboat.node-name", first.settings().nodeName() + "-w" + i);
    o.put("tugboat.node.address", "127.0.0." + (1 + i));
    o.put("tugboat.cassandra.contact-points", String.join(",", first.settings().effectiveContactPoints()));
    o.put("tugboat.data-dir", first.settings().dataDir().resolve("w" + i).toString());
    // One cluster, one CA: the workers serve with certificates of the first member's.
    first.tls().ifPresent(t -> o.put("tugboat.api.tls.pki-dir", t.ca().dir().toString()));
    return o;
  }

  private Map<String, Object> overrides() {
    Map<String, Object> o = new HashMap<>();
    if (apiPort != null) o.put("tugboat.api.port", apiPort);
    if (apiHost != null) o.put("tugboat.api.host", apiHost);
    if (dataDir != null) o.put("tugboat.data-dir", dataDir.toAbsolutePath().toString());
    if (pkiDir != null) o.put("tugboat.api.tls.pki-dir", pkiDir.toAbsolutePath().toString());
    if (insecureHttp) {
      // As kube-apiserver's old insecure port: no credentials can be checked, so none are asked for.
      o.put("tugboat.api.tls.enabled", false);
      o.put("tugboat.api.authorization-mode", "AlwaysAllow");
    }
    if (cassandraPort != null) o.put("tugboat.cassandra.embedded.port", cassandraPort);
    if (cassandra != null) o.put("tugboat.cassandra.contact-points", cassandra);
    if (keyspace != null) o.put("tugboat.cassandra.keyspace", keyspace);
    if (nodeName != null) o.put("tugboat.node-name", nodeName);
    if (remotePort != null) o.put("pekko.remote.artery.canonical.port", remotePort);
    if (!seeds.isEmpty()) {
      o.put("pekko.cluster.seed-nodes", seeds.stream().map(s -> "pekko://" + Tugboat.SYSTEM_NAME + "@" + s).toList());
    }
    if (roles != null) o.put("pekko.cluster.roles", roles);
    return o;
  }
}
