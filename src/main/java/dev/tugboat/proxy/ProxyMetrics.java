package dev.tugboat.proxy;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Connection and byte counts of this JVM's service proxies, per Service, for {@code /metrics}. */
public final class ProxyMetrics {
  private static final Map<String, LongAdder> CONNECTIONS = new ConcurrentHashMap<>();
  private static final Map<String, LongAdder> REJECTED = new ConcurrentHashMap<>();
  private static final Map<String, LongAdder> BYTES_IN = new ConcurrentHashMap<>();
  private static final Map<String, LongAdder> BYTES_OUT = new ConcurrentHashMap<>();

  private ProxyMetrics() {}

  static void connection(String service) {
    CONNECTIONS.computeIfAbsent(service, k -> new LongAdder()).increment();
  }

  static void rejected(String service) {
    REJECTED.computeIfAbsent(service, k -> new LongAdder()).increment();
  }

  static LongAdder bytesIn(String service) {
    return BYTES_IN.computeIfAbsent(service, k -> new LongAdder());
  }

  static LongAdder bytesOut(String service) {
    return BYTES_OUT.computeIfAbsent(service, k -> new LongAdder());
  }

  /** The counters in Prometheus' text format. */
  public static String render() {
    StringBuilder out = new StringBuilder();
    family(out, "tugboat_proxy_connections_total", "Connections forwarded to a backend", CONNECTIONS);
    family(out, "tugboat_proxy_rejected_connections_total", "Connections closed for want of a ready backend", REJECTED);
    family(out, "tugboat_proxy_bytes_received_total", "Bytes from clients to backends", BYTES_IN);
    family(out, "tugboat_proxy_bytes_sent_total", "Bytes from backends to clients", BYTES_OUT);
    return out.toString();
  }

  private static void family(StringBuilder out, String name, String help, Map<String, LongAdder> values) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    new TreeMap<>(values).forEach((service, n) ->
        out.append(name).append("{service=\"").append(service).append("\"} ").append(n.sum()).append('\n'));
  }
}
