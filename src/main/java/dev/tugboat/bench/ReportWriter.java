package dev.tugboat.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Prints a report's table and writes {@code NAME.json}, {@code NAME.txt} and {@code NAME.png} under the output directory. */
public final class ReportWriter {
  private ReportWriter() {}

  public static void write(Report report, Path outDir, PrintStream console) {
    String table = ReportTable.render(report);
    console.println();
    console.print(table);
    try {
      Files.createDirectories(outDir);
      Files.writeString(outDir.resolve(report.benchmark() + ".json"), report.toJsonString() + "\n");
      Files.writeString(outDir.resolve(report.benchmark() + ".txt"), table);
      Path png = outDir.resolve(report.benchmark() + ".png");
      try {
        Chart.writePng(report, png);
      } catch (IOException | RuntimeException | Error e) {
        // A machine without fonts cannot draw; the JSON and the table still stand.
        console.println("bench: no chart (" + e + ")");
      }
      console.println("report: " + outDir.resolve(report.benchmark() + ".json") + ", chart: " + png);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report under " + outDir, e);
    }
  }
}
