package dev.tugboat.multijvm;

import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.TestTugboat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Tugboat cluster member as a JVM process of its own: the shaded jar's {@code tug up}, with a
 * fixed node name, remoting port and API port that survive restarts (a restarted member is the same
 * node coming back). Each start (an incarnation) writes its own log under {@code target/multi-jvm/}
 * and a pid file beside it, so a crashed test run's leftovers can be killed by the next one.
 */
public final class Member {
  /** Marks every member JVM with the test JVM that started it (found on leftover command lines). */
  static final String OWNER_PROPERTY = "tugboat.multijvm.owner";

  /**
   * What stays the same across this member's restarts. {@code nodeAddress} is a loopback address of
   * its own (127.0.1.2, ...): its remoting binds it, and its pods' ports and its NodePorts are
   * published there, so members on one host are distinct nodes, as machines would be (and one can
   * be cut off from the others: {@link Partition}).
   */
  public record Spec(String name, String nodeName, List<String> roles, int remotePort, int apiPort, String nodeAddress) {
    public boolean worker() {
      return roles.contains("worker");
    }

    public boolean controlPlane() {
      return roles.contains("control-plane");
    }

    public String remoteAddress() {
      return nodeAddress + ":" + remotePort;
    }
  }

  private final Spec spec;
  private final Cluster cluster;
  private Api api;
  private Process process;
  private int incarnation;
  private Path log;

  Member(Spec spec, Cluster cluster) {
    this.spec = spec;
    this.cluster = cluster;
  }

  public Spec spec() {
    return spec;
  }

  public String name() {
    return spec.name();
  }

  public String nodeName() {
    return spec.nodeName();
  }

  /** The admin's client of this member's API (the cluster CA must exist: once a member is up). */
  public synchronized Api api() {
    if (api == null) api = Api.admin("https://127.0.0.1:" + spec.apiPort(), cluster.dir().resolve("pki"));
    return api;
  }

  /** The admin's kubeconfig this member wrote ({@code tug up} does, into its data directory). */
  public Path kubeconfig() {
    return cluster.dir().resolve("data-" + spec.name()).resolve("kubeconfig");
  }

  public Path log() {
    return log;
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  /**
   * Waits until this incarnation has exited (downed by its cluster, say). If it has not by the
   * deadline, its threads are dumped into its log (jcmd) before the failure, which names the log:
   * a member that does not stop is stuck somewhere, and the dump says where.
   */
  public void awaitExit(String what, Duration timeout) {
    try {
      Await.until(what, timeout, () -> !alive());
    } catch (AssertionError e) {
      String dump = threadDump();
      try {
        Files.writeString(log, "\n---- thread dump taken by the test: " + what + " timed out ----\n" + dump,
            StandardOpenOption.APPEND);
      } catch (IOException ignored) {
        // the failure below still says what was awaited
      }
      throw new AssertionError(e.getMessage() + " (" + spec.name() + "'s log, with a thread dump: " + log + ")\n" + tail(), e);
    }
  }

  private String threadDump() {
    try {
      // Into a file, so that a jcmd that hangs (a JVM too stuck to answer) costs its deadline, not the test run.
      Path out = Files.createTempFile("jcmd-", ".txt");
      Process jcmd = new ProcessBuilder("jcmd", Long.toString(process.pid()), "Thread.print")
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!jcmd.waitFor(30, TimeUnit.SECONDS)) jcmd.destroyForcibly();
      String dump = Files.readString(out);
      Files.deleteIfExists(out);
      return dump;
    } catch (IOException e) {
      return "(no thread dump: " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(no thread dump: interrupted)";
    }
  }

  /** The exit status of the incarnation that ended. */
  public int exitValue() {
    return process.exitValue();
  }

  public long pid() {
    return process == null ? -1 : process.pid();
  }

  /** Starts a new incarnation; returns at once (see {@link #awaitUp}). */
  synchronized void start() {
    start(false);
  }

  /**
   * @param rejoin the cluster runs without this member: it lists itself last among the seeds. The
   *     first seed of the list forms a cluster of its own when no other seed answers within
   *     Pekko's seed-node-timeout (5 s), which a busy machine can miss: a control-plane member
   *     restarted as the first seed once formed a second cluster beside the running one.
   */
  synchronized void start(boolean rejoin) {
    if (alive()) throw new IllegalStateException(spec.name() + " is already running");
    incarnation++;
    log = cluster.dir().resolve(spec.name() + "-" + incarnation + ".log");
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        // Small heaps and a cheap JIT and GC: four of these share two cores with Cassandra, Maven
        // and the other engineers' builds.
        "-Xmx384m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-D" + OWNER_PROPERTY + "=" + ProcessHandle.current().pid(),
        // Orphan containers of a returning node are looked for every second (default 5 s), so the
        // test sees them removed promptly; the behaviour is the same.
        "-Dtugboat.node.resync=1s",
        "-Dtugboat.node.address=" + spec.nodeAddress(),
        "-Dpekko.remote.artery.canonical.hostname=" + spec.nodeAddress(),
        "-Dpekko.remote.artery.advanced.tcp.outbound-client-hostname=" + spec.nodeAddress(),
        "-jar", cluster.jar().toString(), "up",
        "--node-name", spec.nodeName(),
        "--roles", String.join(",", spec.roles()),
        "--remote-port", Integer.toString(spec.remotePort()),
        "--api-port", Integer.toString(spec.apiPort()),
        "--cassandra", cluster.cassandraContactPoint(),
        "--keyspace", cluster.keyspace(),
        "--data-dir", cluster.dir().resolve("data-" + spec.name()).toString(),
        // one cluster, one CA: the test's admin client trusts every member's API
        "--pki-dir", cluster.dir().resolve("pki").toString()));
    // these classes run beside the rest of the suite, whose members share the host's addresses
    int jar = command.indexOf("-jar");
    TestTugboat.BESIDE_OTHERS.forEach((key, value) -> command.add(jar, "-D" + key + "=" + value));
    // JVM options for every member, for experiments: -Dtugboat.multijvm.member-options="-Dpekko.cluster.sharding.use-lease="
    String extra = System.getProperty("tugboat.multijvm.member-options", "").trim();
    if (!extra.isEmpty()) command.addAll(command.indexOf("-jar"), List.of(extra.split("\\s+")));
    List<String> seeds = new java.util.ArrayList<>(cluster.seeds());
    if (rejoin && seeds.remove(spec.remoteAddress())) seeds.add(spec.remoteAddress());
    for (String seed : seeds) command.addAll(List.of("--seed", seed));
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      Files.writeString(cluster.dir().resolve(spec.name() + ".pid"), Long.toString(process.pid()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + spec.name(), e);
    }
  }

  /** Waits until the member serves its API and says it is Up in the cluster ({@code /readyz}). */
  void awaitUp(Duration timeout) {
    Await.until(spec.name() + " up and ready (log " + log + ")", timeout, () -> {
      if (!alive()) throw new AssertionError(spec.name() + " exited with " + process.exitValue() + ":\n" + tail());
      try {
        return Files.exists(cluster.dir().resolve("pki/admin.crt")) && api().get("/readyz").code() == 200;
      } catch (UncheckedIOException notYet) {
        return false;
      }
    });
  }

  /** SIGKILL: the JVM dies at once, with no chance to leave the cluster or flush anything. */
  public void kill() {
    if (process == null) return;
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError(spec.name() + " survived SIGKILL");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGSTOP: the JVM freezes (as in a long GC pause or a stalled VM) with its sockets open; {@link #thaw} resumes it. */
  public void freeze() {
    signal("STOP");
  }

  /** SIGCONT. */
  public void thaw() {
    if (alive()) signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) throw new AssertionError("kill -" + name + " failed");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, as Ctrl-C: the member leaves the cluster and stops; SIGKILL if it does not within the timeout. */
  public boolean stop(Duration timeout) {
    if (!alive()) return true;
    process.destroy();
    try {
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill();
    return false;
  }

  /** The end of this incarnation's log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return spec.name() + "(" + spec.nodeName() + ", " + String.join(",", spec.roles()) + ", pid " + pid() + ")";
  }
}
