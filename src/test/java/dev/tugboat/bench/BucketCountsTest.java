package dev.tugboat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BucketCountsTest {
  private static String text(int fast, int slow, int tail) {
    return """
        # TYPE d_seconds histogram
        d_seconds_bucket{route="a",le="0.005"} %d
        d_seconds_bucket{route="a",le="0.05"} %d
        d_seconds_bucket{route="a",le="+Inf"} %d
        d_seconds_bucket{route="b",le="0.005"} 1
        d_seconds_bucket{route="b",le="0.05"} 1
        d_seconds_bucket{route="b",le="+Inf"} 1
        d_seconds_count{route="a"} %d
        other_bucket{le="+Inf"} 99
        """.formatted(fast, fast + slow, fast + slow + tail, fast + slow + tail);
  }

  @Test
  void quantilesOfWhatHappenedBetweenTwoReadingsAcrossSeries() {
    BucketCounts before = BucketCounts.read(text(10, 0, 0), "d_seconds");
    BucketCounts after = BucketCounts.read(text(10 + 980, 15, 5), "d_seconds");
    BucketCounts turn = after.since(before);
    assertEquals(1000, turn.total());
    assertEquals(0.005, turn.quantileBound(0.5));
    assertEquals(0.05, turn.quantileBound(0.99), "990 of 1,000 within 5 ms, 995 within 50 ms");
    assertEquals(Double.POSITIVE_INFINITY, turn.quantileBound(0.999));
    assertEquals(Double.NaN, before.since(before).quantileBound(0.5));
  }
}
