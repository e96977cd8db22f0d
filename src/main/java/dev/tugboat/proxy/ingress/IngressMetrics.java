package dev.tugboat.proxy.ingress;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests through this JVM's ingress controllers, per route and response code, for
 * {@code /metrics}: a route is an Ingress's rule host and path and the Service port it names, or
 * none (no rule matched: 404). Series are labelled by the rules, never by what a request sent, so a
 * request cannot add a series; and there are at most {@value #MAX_SERIES} (Ingresses created and
 * deleted for a long time), the rest counted under {@code ingress="(other)"}.
 */
public final class IngressMetrics {
  static final int MAX_SERIES = 10_000;
  private static final String OTHER = "(other)";

  private record Series(String ingress, String host, String path, String service, int code) {}

  private static final class Counts {
    final LongAdder requests = new LongAdder();
    final LongAdder nanos = new LongAdder();
  }

  private static final Map<Series, Counts> SERIES = new ConcurrentHashMap<>();

  private IngressMetrics() {}

  /** A request answered with {@code code} after {@code nanos}; {@code route} null when no rule matched. */
  static void request(RoutingTable.Route route, int code, long nanos) {
    Series key = route == null ? new Series("", "", "", "", code)
        : new Series(route.ingress(), route.host(), route.path(), route.service(), code);
    Counts counts = SERIES.get(key);
    if (counts == null) {
      if (SERIES.size() >= MAX_SERIES) key = new Series(OTHER, "", "", "", code);
      counts = SERIES.computeIfAbsent(key, k -> new Counts());
    }
    counts.requests.increment();
    counts.nanos.add(nanos);
  }

  /** The counters in Prometheus' text format. */
  public static String render() {
    StringBuilder out = new StringBuilder();
    Map<String, Counts> sorted = new TreeMap<>();
    SERIES.forEach((s, c) -> sorted.put(labels(s), c));
    out.append("# HELP tugboat_ingress_requests_total Requests through the ingress controller, by route and code\n");
    out.append("# TYPE tugboat_ingress_requests_total counter\n");
    sorted.forEach((labels, c) -> out.append("tugboat_ingress_requests_total{").append(labels).append("} ")
        .append(c.requests.sum()).append('\n'));
    out.append("# HELP tugboat_ingress_request_seconds_total Time from a request's arrival to its response's headers\n");
    out.append("# TYPE tugboat_ingress_request_seconds_total counter\n");
    sorted.forEach((labels, c) -> out.append("tugboat_ingress_request_seconds_total{").append(labels).append("} ")
        .append(c.nanos.sum() / 1e9).append('\n'));
    return out.toString();
  }

  private static String labels(Series s) {
    return "ingress=\"" + escape(s.ingress()) + "\",host=\"" + escape(s.host()) + "\",path=\"" + escape(s.path())
        + "\",service=\"" + escape(s.service()) + "\",code=\"" + s.code() + "\"";
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
