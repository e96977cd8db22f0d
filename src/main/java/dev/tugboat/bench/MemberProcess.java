package dev.tugboat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Tugboat member as a JVM process of its own: the jar's {@code tug up} on an external Cassandra,
 * as the multi-JVM tests start them. Each start gets free remoting and API ports and a log of its own
 * under the work directory.
 */
public final class MemberProcess implements AutoCloseable {
  /** What a member is: its name (and log prefix), its Node's name, its roles. */
  public record Spec(String name, String nodeName, List<String> roles) {}

  private final Spec spec;
  private final Path jar;
  private final Path dir;
  private final String cassandra;
  private final String keyspace;
  private final List<String> jvmOptions;
  private Process process;
  private int remotePort;
  private HttpApi api;
  private int apiPort;
  private int incarnation;
  private Path log;

  public MemberProcess(Spec spec, Path jar, Path dir, String cassandra, String keyspace, List<String> jvmOptions) {
    this.spec = spec;
    this.jar = jar;
    this.dir = dir;
    this.cassandra = cassandra;
    this.keyspace = keyspace;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** Starts a new incarnation joining {@code seeds} (host:port; none: it forms the cluster); returns at once. */
  public synchronized void start(List<String> seeds) {
    if (alive()) throw new IllegalStateException(spec.name() + " is already running");
    incarnation++;
    remotePort = dev.tugboat.boot.FreePort.find();
    int apiPort = dev.tugboat.boot.FreePort.find();
    this.apiPort = apiPort;
    api = null; // made once the cluster CA exists: the first member creates it as it starts
    log = dir.resolve(spec.name() + "-" + incarnation + ".log");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "up",
        "--node-name", spec.nodeName(),
        "--roles", String.join(",", spec.roles()),
        "--remote-port", Integer.toString(remotePort),
        "--api-port", Integer.toString(apiPort),
        "--cassandra", cassandra,
        "--keyspace", keyspace,
        "--data-dir", dir.resolve("data-" + spec.name()).toString(),
        // one cluster, one CA: every member's API trusted by the benchmark's admin client
        "--pki-dir", dir.resolve("pki").toString()));
    for (String seed : seeds) command.addAll(List.of("--seed", seed));
    try {
      Files.createDirectories(dir);
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + spec.name(), e);
    }
  }

  /** Waits until the member serves its API and is Up in the cluster ({@code /readyz}). */
  public void awaitUp(Duration timeout) {
    Wait.until(spec.name() + " ready (log " + log + ")", timeout, Duration.ofMillis(100), () -> {
      if (!alive()) throw new IllegalStateException(spec.name() + " exited with " + process.exitValue() + "; log " + log);
      if (!Files.exists(dir.resolve("pki/admin.crt"))) return false;
      HttpApi.Reply r = api().tryGetText("/readyz");
      return r != null && r.code() == 200;
    });
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  public Spec spec() {
    return spec;
  }

  /** The admin's client of this incarnation's API (the cluster CA must exist: after {@link #awaitUp}). */
  public synchronized HttpApi api() {
    if (api == null) api = HttpApi.admin("https://127.0.0.1:" + apiPort, dir.resolve("pki"));
    return api;
  }

  /** host:port of its Pekko remoting, for others' --seed. */
  public String remoteAddress() {
    return "127.0.0.1:" + remotePort;
  }

  public long pid() {
    return process == null ? -1 : process.pid();
  }

  /** SIGKILL: the JVM dies at once, without leaving the cluster or flushing anything. */
  public void kill() {
    if (process == null) return;
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /** SIGTERM (as Ctrl-C), then SIGKILL if it has not stopped within the timeout. */
  public void stop(Duration timeout) {
    if (!alive()) return;
    process.destroy();
    if (!waitFor(timeout)) kill();
  }

  private boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }

  /** The Tugboat jar this JVM runs from, else the one {@code mvn package} built under target/. */
  public static Path defaultJar() {
    try {
      Path self = Path.of(MemberProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (self.toString().endsWith(".jar")) return self;
    } catch (Exception e) {
      // not from a jar: look in target/
    }
    try (var files = Files.list(Path.of("target"))) {
      return files.filter(p -> p.getFileName().toString().matches("tugboat-.*\\.jar")
              && !p.getFileName().toString().contains("shaded")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no Tugboat jar under target/: run mvn package -DskipTests"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
