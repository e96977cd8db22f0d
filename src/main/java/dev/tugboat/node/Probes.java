package dev.tugboat.node;

import dev.tugboat.model.IntOrString;
import dev.tugboat.model.Pod;
import dev.tugboat.runtime.ContainerRuntime;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Runs one liveness, readiness or startup probe, as the kubelet's prober: an HTTP GET that must
 * answer 200-399, a TCP connect that must succeed, or a command that must exit 0, each within the
 * probe's timeout. Network probes reach the container where the node can: its published host port,
 * else the pod's own address.
 */
final class Probes {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

  private Probes() {}

  record Outcome(boolean success, String message) {}

  /** Where a container port can be reached from the node. */
  record Target(String hostIp, Map<Integer, Integer> hostPorts, String podIp) {
    InetSocketAddress address(int containerPort) {
      Integer published = hostPorts.get(containerPort);
      if (published != null) return new InetSocketAddress(hostIp, published);
      return new InetSocketAddress(podIp == null ? hostIp : podIp, containerPort);
    }
  }

  static Outcome run(Pod.Probe probe, Pod.Container container, String containerId, Target target,
      ContainerRuntime runtime) {
    Duration timeout = Duration.ofSeconds(probe.timeoutSeconds() == null ? 1 : Math.max(1, probe.timeoutSeconds()));
    try {
      if (probe.exec() != null) {
        ContainerRuntime.ExecResult r = runtime.exec(containerId, probe.exec().command(), timeout);
        return r.exitCode() == 0 ? new Outcome(true, null)
            : new Outcome(false, "command " + probe.exec().command() + " exited with " + r.exitCode() + ": " + r.output().strip());
      }
      if (probe.httpGet() != null) {
        Pod.HttpGet get = probe.httpGet();
        InetSocketAddress at = target.address(port(get.port(), container));
        String host = get.host() == null || get.host().isEmpty() ? at.getHostString() : get.host();
        String scheme = get.scheme() == null ? "http" : get.scheme().toLowerCase();
        String path = get.path() == null || get.path().isEmpty() ? "/" : get.path();
        URI uri = URI.create(scheme + "://" + host + ":" + at.getPort() + (path.startsWith("/") ? path : "/" + path));
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(timeout)
            .header("User-Agent", "tugboat-probe/1.0").GET().build(), HttpResponse.BodyHandlers.discarding());
        int code = response.statusCode();
        return code >= 200 && code < 400 ? new Outcome(true, null)
            : new Outcome(false, "HTTP probe failed with statuscode: " + code);
      }
      if (probe.tcpSocket() != null) {
        InetSocketAddress at = target.address(port(probe.tcpSocket().port(), container));
        try (Socket socket = new Socket()) {
          socket.connect(at, (int) timeout.toMillis());
        }
        return new Outcome(true, null);
      }
      return new Outcome(true, null);
    } catch (IOException | RuntimeException e) {
      return new Outcome(false, e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, "interrupted");
    }
  }

  /** A probe's port: a number, or the name of one of the container's ports. */
  static int port(IntOrString port, Pod.Container container) {
    if (port == null) throw new IllegalArgumentException("the probe has no port");
    if (port.isInt()) return port.intValue();
    if (container.ports() != null) {
      for (Pod.ContainerPort p : container.ports()) {
        if (port.strValue().equals(p.name()) && p.containerPort() != null) return p.containerPort();
      }
    }
    throw new IllegalArgumentException("the container has no port named " + port.strValue());
  }
}
