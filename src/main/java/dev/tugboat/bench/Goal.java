package dev.tugboat.bench;

/** A goal the issue set for a benchmark, the figure it is judged by, and whether this run met it. */
public record Goal(String description, double measured, String unit, boolean met) {}
