package dev.tugboat.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Cassandra server run as a child JVM: Tugboat's default journal when no external cluster is
 * configured.
 *
 * <p>The server runs on a classpath of its own (cassandra-all and its dependencies, resolved by Maven
 * into {@code cassandra-server.classpath} at build time) so its netty and agrona never meet Pekko's.
 * From the distribution tarball those jars are in {@code lib/cassandra/} beside the Tugboat jar; from a
 * checkout they are read where the build found them, in the local Maven repository.
 * A server already answering on the port is reused and left running on {@link #close()}; one this
 * class started is stopped with SIGTERM, which lets Cassandra drain its memtables.
 */
public final class EmbeddedCassandra implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedCassandra.class);
  private static final String CLASSPATH_RESOURCE = "/dev/tugboat/boot/cassandra-server.classpath";
  private static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";
  private static final int LOG_LINES_ON_FAILURE = 40;
  /** Cassandra's ring delay (30 s by default) for servers of a ring: how long a joining node waits
   * to hear of the ring. Servers of a new ring are all seeds and hear of each other within it. */
  private static final int RING_DELAY_MS = 5000;
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  /** The distribution's layout: lib/tugboat-VERSION.jar and lib/cassandra/ (deploy/dist/assembly.xml). */
  static final String DISTRIBUTION_LIB = "cassandra";
  static final String DISTRIBUTION_CLASSPATH = "cassandra-server.classpath";

  /**
   * How to run the server; {@code dir} holds its data, configuration and log. {@code host} is its
   * listen and CQL address; {@code ring} says which ring it forms or joins.
   */
  public record Settings(
      Path dir,
      String host,
      int port,
      String initialHeap,
      String maxHeap,
      Duration startTimeout,
      Duration stopTimeout,
      CommitLog commitLog,
      Ring ring,
      boolean lazySchemaFlush) {

    /** A server alone in a ring of its own (Tugboat's embedded default). */
    public Settings(Path dir, String host, int port, String initialHeap, String maxHeap, Duration startTimeout,
        Duration stopTimeout, CommitLog commitLog) {
      this(dir, host, port, initialHeap, maxHeap, startTimeout, stopTimeout, commitLog, Ring.ALONE, false);
    }

    public Settings withRing(Ring ring) {
      return new Settings(dir, host, port, initialHeap, maxHeap, startTimeout, stopTimeout, commitLog, ring, lazySchemaFlush);
    }

    /**
     * Schema changes are not flushed to disk as they are made (Cassandra's {@code
     * -Dcassandra.unsafesystem=true}); the commit log still holds them. Each CREATE TABLE otherwise
     * flushes five schema tables, about 0.4 s on these machines: for the test suite's shared server,
     * which creates a keyspace of a dozen tables for every test class, never for a member's own.
     */
    public Settings withLazySchemaFlush() {
      return new Settings(dir, host, port, initialHeap, maxHeap, startTimeout, stopTimeout, commitLog, ring, true);
    }
  }

  /**
   * When the server acknowledges a write, as Cassandra's {@code commitlog_sync}: {@link Sync#GROUP}
   * and {@link Sync#BATCH} only once the write's commit log entry is on disk (fsynced), group commit
   * gathering the writes of up to {@code window} into one fsync; {@link Sync#PERIODIC} at once, with
   * the log fsynced every {@code window}, so a crash of the host loses up to that much of
   * acknowledged writes. {@code window} is unused by batch.
   */
  public record CommitLog(Sync sync, Duration window) {
    public enum Sync { PERIODIC, GROUP, BATCH }

    /** Our default: group commit with a 2 ms window (conf/application.conf says why). */
    public static final CommitLog DEFAULT = new CommitLog(Sync.GROUP, Duration.ofMillis(2));

    public CommitLog {
      if (sync == null) throw new IllegalArgumentException("commitlog sync mode missing");
      if (sync != Sync.BATCH && (window == null || window.toMillis() < 1)) {
        throw new IllegalArgumentException("commitlog-sync " + sync.name().toLowerCase()
            + " needs a window of at least 1 ms, not " + window);
      }
      if (sync == Sync.BATCH) window = Duration.ZERO;
    }

    /**
     * From a {@code tugboat.cassandra.embedded} configuration: {@code commitlog-sync} (periodic,
     * group or batch), and the window of its mode ({@code commitlog-sync-group-window} or
     * {@code commitlog-sync-period}).
     */
    public static CommitLog from(com.typesafe.config.Config embedded) {
      Sync sync = parse(embedded.getString("commitlog-sync"));
      return switch (sync) {
        case PERIODIC -> new CommitLog(sync, embedded.getDuration("commitlog-sync-period"));
        case GROUP -> new CommitLog(sync, embedded.getDuration("commitlog-sync-group-window"));
        case BATCH -> new CommitLog(sync, Duration.ZERO);
      };
    }

    /**
     * The configured one ({@code application.conf}, overridden by system properties such as
     * {@code -Dtugboat.cassandra.embedded.commitlog-sync=periodic}): for servers started outside a
     * member, by tests and benchmarks.
     */
    public static CommitLog configured() {
      return from(com.typesafe.config.ConfigFactory.load().getConfig("tugboat.cassandra.embedded"));
    }

    public static Sync parse(String mode) {
      try {
        return Sync.valueOf(mode.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("commitlog-sync is periodic, group or batch, not \"" + mode + "\"");
      }
    }

    /** The lines of cassandra.yaml: the mode and only its own window (Cassandra refuses the others). */
    String yaml() {
      return switch (sync) {
        case PERIODIC -> "commitlog_sync: periodic\ncommitlog_sync_period: " + window.toMillis() + "ms\n";
        case GROUP -> "commitlog_sync: group\ncommitlog_sync_group_window: " + window.toMillis() + "ms\n";
        case BATCH -> "commitlog_sync: batch\n";
      };
    }

    @Override
    public String toString() {
      return sync == Sync.BATCH ? "batch" : sync.name().toLowerCase() + " " + window.toMillis() + "ms";
    }
  }

  /**
   * The ring a server belongs to. {@link #ALONE}: a ring of its own, its own seed, its gossip port
   * chosen once per data directory. Several servers form one ring with one cluster name, and each
   * other's storage addresses as seeds ({@code host:port}); a seed never bootstraps, so servers that
   * are all seeds of a new, empty ring start at once, without streaming.
   */
  public record Ring(String clusterName, int storagePort, List<String> seeds) {
    public static final Ring ALONE = new Ring("tugboat", 0, List.of());

    public Ring {
      seeds = List.copyOf(seeds);
    }
  }

  private final Settings settings;
  private final Process process; // null when an already running server is reused
  private final Duration startedIn;

  private EmbeddedCassandra(Settings settings, Process process, Duration startedIn) {
    this.settings = settings;
    this.process = process;
    this.startedIn = startedIn;
  }

  /**
   * Returns a server answering CQL on {@code settings.port()}: the one already there, or a new one.
   *
   * @throws CassandraStartException when the server exits or does not accept connections in time;
   *     its message carries the last lines of the server's log
   */
  public static EmbeddedCassandra start(Settings settings) {
    if (accepts(settings.host(), settings.port())) {
      log.info("Reusing the Cassandra already listening on {}:{}", settings.host(), settings.port());
      return new EmbeddedCassandra(settings, null, Duration.ZERO);
    }
    long begin = System.nanoTime();
    Process process = launch(settings);
    long deadline = begin + settings.startTimeout().toNanos();
    while (!accepts(settings.host(), settings.port())) {
      if (!process.isAlive()) {
        throw new CassandraStartException(
            "Cassandra exited with code " + process.exitValue() + " while starting", logTail(settings));
      }
      if (System.nanoTime() > deadline) {
        stop(process, settings.stopTimeout());
        throw new CassandraStartException(
            "Cassandra did not accept CQL connections on " + settings.host() + ":" + settings.port()
                + " within " + settings.startTimeout().toSeconds() + " s",
            logTail(settings));
      }
      pause(Duration.ofMillis(200));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - begin);
    log.info("Cassandra (pid {}) accepts CQL on {}:{} after {} ms; data and log under {}",
        process.pid(), settings.host(), settings.port(), took.toMillis(), settings.dir());
    return new EmbeddedCassandra(settings, process, took);
  }

  /** True when this instance started the server (and so will stop it). */
  public boolean startedHere() {
    return process != null;
  }

  /** The child's process id, when this instance started the server. */
  public Optional<Long> pid() {
    return process == null ? Optional.empty() : Optional.of(process.pid());
  }

  /** How long the server took to accept CQL connections; zero when reused. */
  public Duration startedIn() {
    return startedIn;
  }

  public String host() {
    return settings.host();
  }

  public int port() {
    return settings.port();
  }

  /** Where the server's output goes. */
  public Path logFile() {
    return logFile(settings);
  }

  /** Stops the server if this instance started it: SIGTERM, wait, then kill. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      log.info("Stopping Cassandra (pid {})", process.pid());
      stop(process, settings.stopTimeout());
    }
  }

  /** True when something accepts TCP connections on host:port. Connects only: bytes sent to the
   * CQL port would make Cassandra log protocol errors. */
  public static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Process launch(Settings settings) {
    try {
      Files.createDirectories(settings.dir().resolve("data"));
      Path yaml = writeConfiguration(settings);
      Path logback = settings.dir().resolve("logback.xml");
      Files.writeString(logback, LOGBACK);
      List<String> command = new ArrayList<>();
      // A session of its own: Ctrl-C in the terminal reaches Tugboat only, which stops Cassandra
      // after the actor system has persisted what was in flight.
      if (Files.isExecutable(SETSID)) command.add(SETSID.toString());
      command.add(javaBinary());
      command.add("-Xms" + settings.initialHeap());
      command.add("-Xmx" + settings.maxHeap());
      command.addAll(JPMS_FLAGS);
      command.add("-Dcassandra.config=" + yaml.toUri());
      command.add("-Dcassandra.storagedir=" + settings.dir().resolve("data"));
      command.add("-Dlogback.configurationFile=" + logback);
      command.add("-Dcassandra-foreground=yes");
      // One node, its own seed: there is no gossip to settle and no ring to wait for. Servers of a
      // new ring are all seeds (no bootstrap) and learn of each other by gossip within a second or
      // two; waiting for it to settle or for the ring delay (30 s) would add only start-up time.
      command.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
      if (settings.lazySchemaFlush()) command.add("-Dcassandra.unsafesystem=true");
      if (!settings.ring().seeds().isEmpty()) command.add("-Dcassandra.ring_delay_ms=" + RING_DELAY_MS);
      command.add("-cp");
      command.add(serverClasspath());
      command.add(MAIN_CLASS);
      Files.writeString(settings.dir().resolve("command.txt"), String.join(" ", command) + "\n");
      Process process = new ProcessBuilder(command)
          .directory(settings.dir().toFile())
          .redirectErrorStream(true)
          .redirectOutput(logFile(settings).toFile())
          .start();
      Files.writeString(settings.dir().resolve("cassandra.pid"), process.pid() + "\n");
      log.info("Starting Cassandra (pid {}) on {}:{}, commit log sync {}, log in {}",
          process.pid(), settings.host(), settings.port(), settings.commitLog(), logFile(settings));
      return process;
    } catch (IOException e) {
      throw new CassandraStartException("Cannot launch Cassandra: " + e.getMessage(), "");
    }
  }

  /** Writes cassandra.yaml. The storage (gossip) port is chosen once per data directory and kept,
   * so that independent servers on one machine do not collide on 7000. */
  private static Path writeConfiguration(Settings settings) throws IOException {
    Path portFile = settings.dir().resolve("storage-port");
    int storagePort = settings.ring().storagePort();
    if (storagePort == 0 && Files.exists(portFile)) {
      storagePort = Integer.parseInt(Files.readString(portFile).trim());
    } else if (storagePort == 0) {
      storagePort = FreePort.find();
      Files.writeString(portFile, storagePort + "\n");
    }
    Path file = settings.dir().resolve("cassandra.yaml");
    Files.writeString(file, yaml(settings, storagePort));
    return file;
  }

  /** cassandra.yaml for {@code settings}, the server's gossip on {@code storagePort}. */
  static String yaml(Settings settings, int storagePort) {
    List<String> seeds = settings.ring().seeds().isEmpty()
        ? List.of(settings.host() + ":" + storagePort) : settings.ring().seeds();
    return YAML_TEMPLATE
        .replace("${clusterName}", settings.ring().clusterName())
        .replace("${seeds}", String.join(",", seeds))
        .replace("${host}", settings.host())
        .replace("${port}", Integer.toString(settings.port()))
        .replace("${storagePort}", Integer.toString(storagePort))
        .replace("${commitLog}", settings.commitLog().yaml());
  }

  /**
   * The server's classpath: from {@code lib/cassandra/} beside the Tugboat jar when it is there (the
   * distribution tarball, which runs without a local Maven repository), else from the resource the
   * build wrote (absolute paths into the build machine's local repository: a checkout).
   */
  static String serverClasspath() {
    Optional<Path> lib = distributionLib(codeLocation());
    if (lib.isPresent()) return distributionClasspath(lib.get());
    try (InputStream in = EmbeddedCassandra.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new CassandraStartException(
            "The Cassandra server classpath is missing from this build (" + CLASSPATH_RESOURCE
                + "); build Tugboat with `mvn package`, or configure external contact points", "");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code lib/cassandra/} beside {@code jar} (a file), when it holds a classpath file. */
  static Optional<Path> distributionLib(Optional<Path> jar) {
    return jar.filter(Files::isRegularFile)
        .map(j -> j.toAbsolutePath().getParent().resolve(DISTRIBUTION_LIB))
        .filter(dir -> Files.isRegularFile(dir.resolve(DISTRIBUTION_CLASSPATH)));
  }

  /**
   * The classpath of {@code lib}: its classpath file names the jars in the order Maven resolved them
   * (the order decides which of two copies of a class wins, so no wildcard), each resolved in lib.
   */
  static String distributionClasspath(Path lib) {
    try {
      StringBuilder classpath = new StringBuilder();
      for (String name : Files.readString(lib.resolve(DISTRIBUTION_CLASSPATH)).trim().split(":")) {
        if (name.isBlank()) continue;
        Path jar = lib.resolve(name);
        if (!Files.isRegularFile(jar)) {
          throw new CassandraStartException("The distribution's Cassandra jar " + jar + " is missing; unpack the "
              + "tarball again", "");
        }
        if (classpath.length() > 0) classpath.append(':');
        classpath.append(jar);
      }
      return classpath.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The jar (or classes directory) this class was loaded from. */
  private static Optional<Path> codeLocation() {
    try {
      var source = EmbeddedCassandra.class.getProtectionDomain().getCodeSource();
      return source == null ? Optional.empty() : Optional.of(Path.of(source.getLocation().toURI()));
    } catch (java.net.URISyntaxException | IllegalArgumentException | SecurityException e) {
      return Optional.empty();
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static void stop(Process process, Duration timeout) {
    process.destroy();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Cassandra (pid {}) did not stop within {} s; killing it", process.pid(), timeout.toSeconds());
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static Path logFile(Settings settings) {
    return settings.dir().resolve("cassandra.log");
  }

  private static String logTail(Settings settings) {
    try {
      List<String> lines = Files.readAllLines(logFile(settings));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size()));
    } catch (IOException e) {
      return "(no log at " + logFile(settings) + ")";
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CassandraStartException("Interrupted while waiting for Cassandra", "");
    }
  }

  /** The JPMS flags Cassandra 5 needs on Java 17 (from its jvm17-server.options). */
  private static final List<String> JPMS_FLAGS = List.of(
      "-Djdk.attach.allowAttachSelf=true",
      "-Dio.netty.tryReflectionSetAccessible=true",
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
      "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.base/java.io=ALL-UNNAMED",
      "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/java.util=ALL-UNNAMED",
      "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED");

  private static final String YAML_TEMPLATE = """
      # Written by Tugboat at each start of its embedded Cassandra; edits are overwritten.
      cluster_name: ${clusterName}
      num_tokens: 1
      partitioner: org.apache.cassandra.dht.Murmur3Partitioner
      endpoint_snitch: SimpleSnitch
      seed_provider:
        - class_name: org.apache.cassandra.locator.SimpleSeedProvider
          parameters:
            - seeds: "${seeds}"
      listen_address: ${host}
      rpc_address: ${host}
      storage_port: ${storagePort}
      native_transport_port: ${port}
      start_native_transport: true
      # When a write is acknowledged (tugboat.cassandra.embedded.commitlog-sync): group and batch
      # only once its commit log entry is on disk; periodic at once, fsynced every period.
      ${commitLog}
      # Tests drop keyspaces often; snapshots of dropped tables would only fill the disk.
      auto_snapshot: false
      """;

  private static final String LOGBACK = """
      <configuration>
        <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%d %-5level [%thread] %logger{20} - %msg%n</pattern></encoder>
        </appender>
        <root level="INFO"><appender-ref ref="OUT"/></root>
      </configuration>
      """;
}
