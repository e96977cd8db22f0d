package dev.tugboat.cli;

import dev.tugboat.bench.ApiBench;
import dev.tugboat.bench.CelBench;
import dev.tugboat.bench.ConvergeBench;
import dev.tugboat.bench.FailoverBench;
import dev.tugboat.bench.IngressBench;
import dev.tugboat.bench.ScaleBench;
import dev.tugboat.bench.ScheduleBench;
import dev.tugboat.bench.StartupBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tug bench NAME}: runs one benchmark (package {@code dev.tugboat.bench}), prints its table and
 * writes its JSON report and PNG chart under {@code --out}. Benchmarks are not tests: they pass or fail
 * nothing, they measure.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Run a benchmark: startup, scale, schedule, converge, failover, api, ingress or cel (see docs/benchmarks.md).",
    subcommands = {StartupBench.class, ScaleBench.class, ScheduleBench.class, ConvergeBench.class, FailoverBench.class, ApiBench.class,
        IngressBench.class, CelBench.class})
final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
