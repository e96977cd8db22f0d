package dev.tugboat.node;

import com.typesafe.config.Config;
import dev.tugboat.model.Node;
import dev.tugboat.model.Quantity;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node agent's configuration ({@code tugboat.node} in {@code conf/application.conf}).
 *
 * @param secretDir where Secret volumes are written: a tmpfs, so their bytes never reach a disk
 * @param fenceDir where the nodes' lease files for fenced pods live (a directory per node), or
 *     null where pods cannot be fenced (simulated runtimes)
 * @param fenceTimeout how long a fenced pod's sandbox lets the lease file go stale
 * @param clusterDns the cluster DNS address pods are given ({@code tugboat.dns.address}): "" for the
 *     pod gateway, null when the cluster DNS is off (pods then resolve as with dnsPolicy Default)
 * @param clusterDomain {@code tugboat.dns.cluster-domain}
 * @param hostResolvConf the host's resolv.conf, for pods of dnsPolicy Default
 */
public record NodeSettings(
    String nodeName,
    String address,
    String dataDir,
    String secretDir,
    Duration heartbeatInterval,
    Duration statusReportInterval,
    Duration syncPeriod,
    Duration resync,
    Duration backoffInitial,
    Duration backoffMax,
    Duration backoffResetAfter,
    Quantity cpu,
    Quantity memory,
    int pods,
    Map<String, String> labels,
    List<Node.Taint> taints,
    String fenceDir,
    Duration fenceTimeout,
    String clusterDns,
    String clusterDomain,
    String hostResolvConf,
    Duration metricsInterval,
    Duration metricsTimeout) {

  public static NodeSettings from(Config config, String nodeName) {
    Config n = config.getConfig("tugboat.node");
    Map<String, String> labels = new LinkedHashMap<>();
    n.getConfig("labels").entrySet().forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue().unwrapped())));
    List<Node.Taint> taints = n.getConfigList("taints").stream()
        .map(t -> new Node.Taint(t.getString("key"), t.hasPath("value") ? t.getString("value") : null,
            t.getString("effect"), null))
        .toList();
    String cpu = n.getString("capacity.cpu");
    String memory = n.getString("capacity.memory");
    return new NodeSettings(nodeName, n.getString("address"),
        config.getString("tugboat.data-dir"), n.getString("secret-dir"),
        n.getDuration("heartbeat-interval"), n.getDuration("status-report-interval"), n.getDuration("sync-period"), n.getDuration("resync"),
        n.getDuration("restart-backoff.initial"), n.getDuration("restart-backoff.max"),
        n.getDuration("restart-backoff.reset-after"),
        cpu.isBlank() ? Quantity.of(Runtime.getRuntime().availableProcessors()) : Quantity.parse(cpu),
        memory.isBlank() ? Quantity.of(hostMemory()) : Quantity.parse(memory),
        n.getInt("capacity.pods"), Map.copyOf(labels), taints, n.getString("fence.dir"), n.getDuration("fence.timeout"),
        config.getBoolean("tugboat.dns.enabled") ? config.getString("tugboat.dns.address") : null,
        config.getString("tugboat.dns.cluster-domain"), config.getString("tugboat.dns.host-resolv-conf"),
        n.getDuration("metrics.interval"), n.getDuration("metrics.stats-timeout"));
  }

  public NodeSettings withNodeName(String name) {
    return new NodeSettings(name, address, dataDir, secretDir, heartbeatInterval, statusReportInterval, syncPeriod, resync, backoffInitial, backoffMax,
        backoffResetAfter, cpu, memory, pods, labels, taints, fenceDir, fenceTimeout, clusterDns, clusterDomain,
        hostResolvConf, metricsInterval, metricsTimeout);
  }

  /** The same node without fencing: its runtime has no containers to fence (simulated). */
  public NodeSettings withoutFence() {
    return new NodeSettings(nodeName, address, dataDir, secretDir, heartbeatInterval, statusReportInterval, syncPeriod, resync, backoffInitial, backoffMax,
        backoffResetAfter, cpu, memory, pods, labels, taints, null, fenceTimeout, clusterDns, clusterDomain, hostResolvConf,
        metricsInterval, metricsTimeout);
  }

  private static long hostMemory() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }
}
