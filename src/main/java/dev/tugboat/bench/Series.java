package dev.tugboat.bench;

import java.util.List;

/** The samples of one contender (or one measured quantity), in the order they were taken. */
public record Series(String name, String unit, List<Double> samples) {
  public Series {
    samples = List.copyOf(samples);
  }

  public Summary summary() {
    return Summary.of(samples);
  }
}
