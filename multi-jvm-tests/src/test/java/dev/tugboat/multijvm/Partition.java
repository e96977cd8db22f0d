package dev.tugboat.multijvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Network partitions between member JVMs on one host, with iptables: every member's remoting binds
 * its own loopback address ({@link Member.Spec#nodeAddress}), so one member's Pekko traffic can be
 * dropped in both directions while its HTTP API, its Cassandra connection and its pods stay
 * reachable. The rules live in a chain of this test JVM's own ({@code TUGBOAT-MJVM-<pid>}), removed
 * when the test ends, and by the next run if this one was killed first.
 */
final class Partition {
  private static final String PREFIX = "TUGBOAT-MJVM-";
  private final String chain = PREFIX + ProcessHandle.current().pid();
  private boolean installed;

  /** Cuts {@code isolated}'s remoting off from every member in {@code others}, both ways. */
  synchronized void isolate(Member isolated, List<Member> others) {
    install();
    String address = isolated.spec().nodeAddress();
    // Connections to it: every byte other members send it arrives on its remoting port.
    iptables("-A", chain, "-p", "tcp", "-d", address, "--dport", Integer.toString(isolated.spec().remotePort()), "-j", "DROP");
    // Connections from it: Pekko's outbound streams leave from its own address to the others' ports.
    for (Member other : others) {
      iptables("-A", chain, "-p", "tcp", "-s", address, "-d", other.spec().nodeAddress(),
          "--dport", Integer.toString(other.spec().remotePort()), "-j", "DROP");
    }
  }

  /** Lets every packet through again. */
  synchronized void heal() {
    if (installed) iptables("-F", chain);
  }

  /** Removes the chain (idempotent). */
  synchronized void remove() {
    if (!installed) return;
    installed = false;
    removeChain(chain);
  }

  /** Chains of earlier test JVMs that no longer run. */
  static void removeLeftovers() {
    String rules = run(List.of("iptables", "-w", "-S"), true);
    if (rules == null) return; // no iptables: no test of this JVM's could have left a chain
    for (String line : rules.split("\n")) {
      if (!line.startsWith("-N " + PREFIX)) continue;
      String name = line.substring(3).trim();
      long pid = Long.parseLong(name.substring(PREFIX.length()));
      if (ProcessHandle.of(pid).isEmpty()) removeChain(name);
    }
  }

  private void install() {
    if (installed) return;
    removeChain(chain);
    iptables("-N", chain);
    iptables("-I", "INPUT", "-j", chain);
    installed = true;
  }

  private static void removeChain(String name) {
    // the jump may be there more than once if an earlier removal was interrupted
    while (run(List.of("iptables", "-w", "-D", "INPUT", "-j", name), true) != null) {
      // removed one
    }
    run(List.of("iptables", "-w", "-F", name), true);
    run(List.of("iptables", "-w", "-X", name), true);
  }

  private static void iptables(String... args) {
    List<String> command = new ArrayList<>(List.of("iptables", "-w"));
    command.addAll(List.of(args));
    run(command, false);
  }

  /** Runs a command; its output, or (tolerant) null when it fails. */
  private static String run(List<String> command, boolean tolerant) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException(command + " did not finish");
      if (p.exitValue() != 0) {
        if (tolerant) return null;
        throw new IllegalStateException(command + " failed (" + p.exitValue() + "): " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
