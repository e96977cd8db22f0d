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
    write(report, report.benchmark(), outDir, console);
  }

  /** Writes under the file name {@code stem} (e.g. {@code scale-100n-1000p}: one report per point). */
  public static void write(Report report, String stem, Path outDir, PrintStream console) {
    String table = ReportTable.render(report);
    console.println();
    console.print(table);
    try {
      Files.createDirectories(outDir);
      Files.writeString(outDir.resolve(stem + ".json"), report.toJsonString() + "\n");
      Files.writeString(outDir.resolve(stem + ".txt"), table);
      Path png = outDir.resolve(stem + ".png");
      try {
        Chart.writePng(report, png);
      } catch (IOException | RuntimeException | Error e) {
        // A machine without fonts cannot draw; the JSON and the table still stand.
        console.println("bench: no chart (" + e + ")");
      }
      console.println("report: " + outDir.resolve(stem + ".json") + ", chart: " + png);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report under " + outDir, e);
    }
  }
}
