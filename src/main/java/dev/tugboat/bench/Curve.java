package dev.tugboat.bench;

import java.util.List;

/** A line of a report's chart, e.g. pods bound over time. {@code x} and {@code y} have one entry per point. */
public record Curve(String name, List<Double> x, List<Double> y) {
  public Curve {
    if (x.size() != y.size()) throw new IllegalArgumentException("x and y differ in length");
    x = List.copyOf(x);
    y = List.copyOf(y);
  }
}
