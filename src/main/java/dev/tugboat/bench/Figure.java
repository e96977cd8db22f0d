package dev.tugboat.bench;

/** One named figure of a report: a rate, a ratio, a size, a duration. */
public record Figure(String name, double value, String unit) {}
