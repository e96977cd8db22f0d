package dev.tugboat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a report says about the machine: cores, load averages (the machine is shared), Java. */
public final class Environment {
  private Environment() {}

  /** The 1, 5 and 15 minute load averages as Linux reports them, or "" where it does not. */
  public static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  public static Map<String, Object> describe() {
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("cores", Runtime.getRuntime().availableProcessors());
    env.put("loadAverageAtStart", loadAverage());
    env.put("java", System.getProperty("java.version"));
    env.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    return env;
  }

  /** Adds the environment to a report, the load at its end included. */
  public static void record(Report.Builder report, Map<String, Object> atStart) {
    atStart.forEach(report::environment);
    report.environment("loadAverageAtEnd", loadAverage());
  }
}
