package dev.tugboat.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The strict reader the /metrics tests rely on: it reads good text and refuses each kind of bad text. */
class PrometheusTextTest {
  private static final String GOOD = """
      # HELP requests_total Requests, by code.
      # TYPE requests_total counter
      requests_total{code="200",path="/a\\"b\\\\c\\nd"} 3.0
      requests_total{code="500"} 0
      # TYPE latency_seconds histogram
      latency_seconds_bucket{verb="get",le="0.1"} 1
      latency_seconds_bucket{verb="get",le="1.0"} 2
      latency_seconds_bucket{verb="get",le="+Inf"} 3
      latency_seconds_count{verb="get"} 3
      latency_seconds_sum{verb="get"} 4.5
      # HELP up Whether it is up.
      # TYPE up gauge
      up 1 1700000000000
      """;

  @Test
  void readsFamiliesSamplesAndEscapes() {
    PrometheusText text = PrometheusText.parse(GOOD);
    assertEquals("counter", text.family("requests_total").type());
    assertEquals(Optional.of(3.0), text.value("requests_total", Map.of("path", "/a\"b\\c\nd")));
    assertEquals(Optional.of(4.5), text.value("latency_seconds_sum", Map.of("verb", "get")));
    assertEquals(Optional.of(1.0), text.value("up", Map.of()));
    assertTrue(text.value("up", Map.of("x", "y")).isEmpty());
  }

  @Test
  void refusesWhatPrometheusWouldRefuseOrWhatIsInconsistent() {
    Map<String, String> bad = Map.of(
        "no newline at the end", "# TYPE up gauge\nup 1",
        "a sample before its TYPE", "up 1\n# TYPE up gauge\n",
        "a sample of another family", "# TYPE up gauge\ndown 1\n",
        "a bad label name", "# TYPE up gauge\nup{1x=\"a\"} 1\n",
        "an unknown escape", "# TYPE up gauge\nup{a=\"\\t\"} 1\n",
        "an unclosed quote", "# TYPE up gauge\nup{a=\"b} 1\n",
        "a series twice", "# TYPE up gauge\nup{a=\"b\"} 1\nup{a=\"b\"} 2\n",
        "a value that is no number", "# TYPE up gauge\nup one\n",
        "a negative counter", "# TYPE c_total counter\nc_total -1\n",
        "a blank line", "# TYPE up gauge\n\nup 1\n");
    bad.forEach((why, text) -> assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(text), why));
    String notCumulative = "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n";
    assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(notCumulative));
    String infIsNotCount = "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_count 2\nh_sum 1\n";
    assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(infIsNotCount));
    String noInf = "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n";
    assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(noInf));
  }
}
