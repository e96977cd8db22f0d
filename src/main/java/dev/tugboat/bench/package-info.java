/**
 * {@code tug bench NAME}: benchmarks of Tugboat against the real Docker engine, Docker Swarm and its own
 * goals, one benchmark per file. Each prints a table, writes a JSON report and a PNG chart under
 * {@code --out}. Comparisons run side by side in one run, alternating, and are quoted as medians and
 * ratios, because absolute times on a shared machine are noisy. Not part of the tests' pass/fail.
 *
 * <p>The statistics, the alternating schedule and the report are pure code with unit tests; the rest
 * drives real processes (Cassandra, Tugboat, dockerd) and cleans up after itself, also on failure.
 */
package dev.tugboat.bench;
