package dev.tugboat.proxy.ingress;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests through this JVM's ingress controllers, per route and response code, for
 * {@code /metrics} (the default Prometheus registry): a route is an Ingress's rule host and path and the Service port it names, or
 * none (no rule matched: 404). Series are labelled by the rules, never by what a request sent, so a
 * request cannot add a series; and there are at most {@value #MAX_SERIES} (Ingresses created and
 * deleted for a long time), the rest counted under {@code ingress="(other)"}.
 */
public final class IngressMetrics {
  static final int MAX_SERIES = 10_000;
  private static final String OTHER = "(other)";
  private static final String[] LABELS = {"ingress", "host", "path", "service", "code"};

  private record Series(String ingress, String host, String path, String service, int code) {
    String[] values() {
      return new String[] {ingress, host, path, service, Integer.toString(code)};
    }
  }

  private static final Counter REQUESTS = Counter.builder()
      .name("tugboat_ingress_requests_total")
      .help("Requests through the ingress controller, by route and code")
      .labelNames(LABELS)
      .register();
  private static final Counter SECONDS = Counter.builder()
      .name("tugboat_ingress_request_seconds_total")
      .help("Time from a request's arrival to its response's headers")
      .labelNames(LABELS)
      .register();

  /** Upper bounds in seconds: fine below 100 ms, where a proxy's own time is, so that a tail there can be told apart. */
  static final double[] DURATION_BUCKETS = {0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1,
      0.25, 0.5, 1, 2.5, 5, 10};

  /** As ingress-nginx's request duration, without the code (one series per route, not per route and code). */
  public static final String DURATION_NAME = "tugboat_ingress_request_duration_seconds";
  private static final Histogram DURATION = Histogram.builder()
      .name(DURATION_NAME)
      .help("Time from a request's arrival at the ingress handler to its response's headers, by route")
      .labelNames("ingress", "host", "path", "service")
      .classicOnly()
      .classicUpperBounds(DURATION_BUCKETS)
      .register();

  /** The series counted so far: the bound is on their number. */
  private static final Set<Series> SERIES = ConcurrentHashMap.newKeySet();

  private IngressMetrics() {}

  /** A request answered with {@code code} after {@code nanos}; {@code route} null when no rule matched. */
  static void request(RoutingTable.Route route, int code, long nanos) {
    Series key = route == null ? new Series("", "", "", "", code)
        : new Series(route.ingress(), route.host(), route.path(), route.service(), code);
    if (!SERIES.contains(key)) {
      if (SERIES.size() >= MAX_SERIES) key = new Series(OTHER, "", "", "", code);
      SERIES.add(key);
    }
    REQUESTS.labelValues(key.values()).inc();
    SECONDS.labelValues(key.values()).inc(nanos / 1e9);
    DURATION.labelValues(key.ingress(), key.host(), key.path(), key.service()).observe(nanos / 1e9);
  }
}
