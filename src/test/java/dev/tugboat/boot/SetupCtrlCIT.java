package dev.tugboat.boot;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's first command typed into a terminal (tmux), then Ctrl-C: Tugboat stops, the shell
 * stays, and {@code dockerd} lives on in a session of its own ({@code deploy/setup-debian.sh} starts
 * it with {@code setsid} when it is not running). Run only where that script may start dockerd: as
 * root, without systemd, with dockerd and tmux installed (setup-debian.sh installs tmux).
 *
 * <p>To stay cheap (the suite's time is short) the member is a control plane only (no containers to
 * wait for) on the run's shared Cassandra, which {@code tug up} reuses and must leave running, as
 * it leaves dockerd: Ctrl-C stops Tugboat and nothing else. That an embedded Cassandra stops with
 * it is the same shutdown path as SIGTERM, proven by DistributionIT and TugUpIT (the server is in a
 * session of its own, so the terminal's SIGINT never reaches it directly).
 */
@ExtendWith(SharedCassandra.class)
// Its own `tug up` process, ports and keyspace, and mostly waiting on a JVM to start: beside the
// other classes rather than after them (src/test/resources/junit-platform.properties).
@Execution(ExecutionMode.CONCURRENT)
class SetupCtrlCIT {
  private final long pid = ProcessHandle.current().pid();
  private final String socket = "tugboat-it-" + pid; // a tmux server of this test's own
  private final Path dir = SharedCassandra.itDir().resolve("ctrl-c-" + pid);

  @AfterEach
  void cleanUp() throws Exception {
    tmux("kill-server");
    tugProcess().ifPresent(ProcessHandle::destroyForcibly);
    if (Files.exists(dir)) {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
  }

  @Test
  void ctrlCInTheReadmesCommandStopsTugboatAndNotDockerd(EmbeddedCassandra cassandra) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux is installed (deploy/setup-debian.sh installs it)");
    assumeTrue("root".equals(System.getProperty("user.name")) && !Files.exists(Path.of("/run/systemd/system"))
        && Files.isExecutable(Path.of("/usr/sbin/dockerd")), "a machine where setup-debian.sh starts dockerd itself");
    Files.createDirectories(dir);
    Path root = Path.of("").toAbsolutePath();
    int apiPort = FreePort.find();
    // The README's command, with ports and a data directory of this test's own.
    String command = "cd " + root + " && deploy/setup-debian.sh && ./tug up --apply examples/web.yaml"
        + " --roles control-plane --api-port " + apiPort + " --cassandra " + cassandra.host() + ":" + cassandra.port()
        + " --remote-port " + FreePort.find() + " --data-dir " + dir.resolve("data") + " --keyspace ctrlc_" + pid
        + " --node-name ctrl-c-" + pid;
    tmux("new-session", "-d", "-s", "readme", "-x", "250", "-y", "50");
    long shell = Long.parseLong(tmux("display-message", "-p", "-t", "readme", "#{pane_pid}").strip());
    long begin = System.nanoTime();
    tmux("send-keys", "-t", "readme", command, "Enter");

    String screen = Await.until("tug up to say it is up", Duration.ofSeconds(120), () -> {
      String text = tmux("capture-pane", "-p", "-S", "-200", "-t", "readme");
      return text.contains("Press Ctrl-C to stop.") ? text : null;
    });
    assertTrue(screen.contains("setup: docker"), "setup-debian.sh ran: " + screen);
    assertTrue(screen.contains("deployment.apps/web created"), screen);
    ProcessHandle dockerd = dockerd().orElseThrow(() -> new AssertionError("no dockerd: " + screen));
    ProcessHandle tug = tugProcess().orElseThrow(() -> new AssertionError("no tug up process: " + screen));
    assertNotEquals(sessionOf(shell), sessionOf(dockerd.pid()), "dockerd is not in the terminal's session");

    long up = System.nanoTime();
    tmux("send-keys", "-t", "readme", "C-c");
    Await.until("tug up to stop", Duration.ofSeconds(60), () -> !tug.isAlive());
    assertTrue(EmbeddedCassandra.accepts(cassandra.host(), cassandra.port()), "a Cassandra it did not start runs on");
    System.out.printf("SetupCtrlCIT: typed to up %d ms (setup-debian.sh %s), Ctrl-C to stopped %d ms%n",
        (up - begin) / 1_000_000, screen.contains("setup: docker") ? "ran" : "?", (System.nanoTime() - up) / 1_000_000);
    assertTrue(ProcessHandle.of(shell).map(ProcessHandle::isAlive).orElse(false), "the terminal's shell stays");
    assertTrue(Files.exists(Path.of("/proc/" + dockerd.pid())) && dockerd().map(ProcessHandle::pid).equals(Optional.of(dockerd.pid())),
        "dockerd (pid " + dockerd.pid() + ") survives Ctrl-C");
    Process info = new ProcessBuilder("docker", "info", "--format", "{{.ServerVersion}}").redirectErrorStream(true).start();
    assertTrue(info.waitFor(30, TimeUnit.SECONDS) && info.exitValue() == 0, "the engine still answers");
  }

  /** The java process of the typed {@code tug up}, known by its data directory. */
  private Optional<ProcessHandle> tugProcess() {
    String marker = dir.resolve("data").toString();
    return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains("-jar")
        && c.contains(" up ") && c.contains(marker)).orElse(false)).findFirst();
  }

  /**
   * The engine that serves /var/run/docker.sock, by the pid file it writes: any process whose name
   * ends in dockerd would not do (one such check once saw a process die that was not the engine).
   */
  private static Optional<ProcessHandle> dockerd() {
    try {
      return ProcessHandle.of(Long.parseLong(Files.readString(Path.of("/var/run/docker.pid")).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The session id of a process (field 6 of /proc/PID/stat, after the command in parentheses). */
  private static long sessionOf(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[3]);
  }

  /** Runs tmux on this test's own server; its output. */
  private String tmux(String... args) {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
