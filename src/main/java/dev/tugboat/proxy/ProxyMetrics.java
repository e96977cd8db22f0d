package dev.tugboat.proxy;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;

/**
 * Connection and byte counts of this JVM's service proxies, per Service ({@code namespace/name}), in
 * the default Prometheus registry served by {@code /metrics}. kube-proxy has no per-Service
 * counters, so these are Tugboat's own.
 */
public final class ProxyMetrics {
  private static final Counter CONNECTIONS = counter("tugboat_proxy_connections_total",
      "Connections forwarded to a backend (UDP: flows)");
  private static final Counter REJECTED = counter("tugboat_proxy_rejected_connections_total",
      "Connections closed for want of a ready backend");
  private static final Counter BYTES_IN = counter("tugboat_proxy_bytes_received_total", "Bytes from clients to backends");
  private static final Counter BYTES_OUT = counter("tugboat_proxy_bytes_sent_total", "Bytes from backends to clients");

  private ProxyMetrics() {}

  private static Counter counter(String name, String help) {
    return Counter.builder().name(name).help(help).labelNames("service").register();
  }

  static void connection(String service) {
    CONNECTIONS.labelValues(service).inc();
  }

  static void rejected(String service) {
    REJECTED.labelValues(service).inc();
  }

  /** The Service's counter of bytes from clients; a stream adds to it as bytes pass. */
  static CounterDataPoint bytesIn(String service) {
    return BYTES_IN.labelValues(service);
  }

  /** The Service's counter of bytes from backends. */
  static CounterDataPoint bytesOut(String service) {
    return BYTES_OUT.labelValues(service);
  }
}
