package dev.tugboat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
  @Test
  void oddCountHasTheMiddleSampleAsMedian() {
    Summary s = Summary.of(List.of(5.0, 1.0, 3.0));
    assertEquals(3, s.n());
    assertEquals(3.0, s.p50());
    assertEquals(1.0, s.min());
    assertEquals(5.0, s.max());
    assertEquals(3.0, s.mean(), 1e-9);
  }

  @Test
  void evenCountInterpolatesTheTwoMiddleSamples() {
    assertEquals(2.5, Summary.of(List.of(4.0, 1.0, 3.0, 2.0)).p50(), 1e-9);
  }

  @Test
  void quantilesOfOneToHundredInterpolateLinearly() {
    List<Double> values = new ArrayList<>();
    for (int i = 1; i <= 100; i++) values.add((double) i);
    Collections.shuffle(values, new java.util.Random(7));
    Summary s = Summary.of(values);
    assertEquals(50.5, s.p50(), 1e-9);
    assertEquals(90.1, s.p90(), 1e-9);
    assertEquals(99.01, s.p99(), 1e-9);
  }

  @Test
  void quantileEdges() {
    double[] sorted = {1, 2, 3};
    assertEquals(1.0, Summary.quantile(sorted, 0));
    assertEquals(3.0, Summary.quantile(sorted, 1));
    assertEquals(2.0, Summary.quantile(new double[] {2}, 0.99));
    assertTrue(Double.isNaN(Summary.quantile(new double[0], 0.5)));
  }

  @Test
  void emptySeriesIsAllNaN() {
    Summary s = Summary.of(List.of());
    assertEquals(0, s.n());
    assertTrue(Double.isNaN(s.p50()));
    assertTrue(Double.isNaN(s.p99()));
  }

  @Test
  void p99OfTwentyIsNearTheMaximum() {
    List<Double> values = new ArrayList<>();
    for (int i = 1; i <= 20; i++) values.add(i * 10.0);
    assertEquals(198.1, Summary.of(values).p99(), 1e-9);
  }
}
