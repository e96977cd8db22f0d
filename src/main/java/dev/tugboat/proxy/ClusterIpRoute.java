package dev.tugboat.proxy;

import dev.tugboat.kinds.service.ClusterIpRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes the cluster IP range the host's own, so that the proxy can listen on cluster IPs and pods
 * reach them: one route of type {@code local} for the whole block on {@code lo}, the way 127/8 is
 * the host's own. kube-proxy's IPVS mode does the same with an address per Service on its dummy
 * interface; one route for the block needs no change per Service. A pod's packet to a cluster IP
 * leaves through its default route, the pod gateway, and the host delivers it to the proxy's socket.
 *
 * <p>The route stays when Tugboat stops (as kube-proxy's interface does): several members on one
 * host share it, and it is harmless on its own. {@code ip route del local <range> dev lo table local}
 * removes it.
 */
final class ClusterIpRoute {
  private ClusterIpRoute() {}

  /** The command that installs the route; {@code replace} makes it idempotent. */
  static List<String> command(ClusterIpRange range) {
    return List.of("ip", "route", "replace", "local", range.toString(), "dev", "lo", "table", "local");
  }

  /**
   * Installs the route unless the range is loopback already; empty when the host's own, else why
   * not (no {@code ip}, no privilege), for the log.
   */
  static Optional<String> ensure(ClusterIpRange range) {
    if (range.isLoopback()) return Optional.empty();
    List<String> command = command(range);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.of("`" + String.join(" ", command) + "` did not finish in 10 s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return process.exitValue() == 0 ? Optional.empty()
          : Optional.of("`" + String.join(" ", command) + "` failed (exit " + process.exitValue() + "): " + output);
    } catch (IOException e) {
      return Optional.of("cannot run `" + String.join(" ", command) + "`: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while running `" + String.join(" ", command) + "`");
    }
  }
}
