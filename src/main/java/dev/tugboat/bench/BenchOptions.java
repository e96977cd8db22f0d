package dev.tugboat.bench;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Options every benchmark takes (a picocli mixin). */
public final class BenchOptions {
  @Option(names = "--out", description = "Directory for the reports (JSON, text, PNG) and the work files (default ${DEFAULT-VALUE}).")
  public Path out = Path.of("target", "bench");

  /** Where a benchmark keeps its Cassandra, logs and other work files. */
  public Path work(String benchmark) {
    return out.toAbsolutePath().resolve("work").resolve(benchmark);
  }

  /** The command line as typed, for the report (so its figures can be produced again). */
  public static String commandLine(CommandSpec spec) {
    var parsed = spec.root().commandLine().getParseResult();
    return parsed == null ? spec.qualifiedName() : "tug " + String.join(" ", parsed.originalArgs());
  }
}
