package dev.tugboat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tugboat.cli.TugCommand;
import dev.tugboat.testing.SharedCassandra;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code tug bench startup} end to end, briefly: two rounds against the real Docker engine and a
 * Tugboat with its own Cassandra. Proves the command runs, cleans up and writes a report with both
 * columns; the figures themselves are not judged (benchmarks measure, tests assert behaviour).
 */
class BenchSmokeIT {
  @Test
  void startupWritesAReportWithBothColumnsAndLeavesNoContainer() throws Exception {
    System.setProperty(BenchLogging.KEEP_PROPERTY, "true");
    Path out = SharedCassandra.itDir().resolve("bench-smoke-" + ProcessHandle.current().pid());
    int code = TugCommand.execute("bench", "startup", "-n", "2", "--warmup", "0", "--out", out.toString());
    assertEquals(0, code);
    JsonNode report = new ObjectMapper().readTree(Files.readString(out.resolve("startup.json")));
    assertEquals("startup", report.path("benchmark").asText());
    JsonNode series = report.path("series");
    assertEquals("tugboat", series.get(0).path("name").asText());
    assertEquals("docker", series.get(1).path("name").asText());
    assertEquals(2, series.get(0).path("samples").size());
    assertEquals(2, series.get(1).path("samples").size());
    assertTrue(series.get(0).path("summary").path("p50").asDouble() > 0, report.toString());
    assertTrue(report.path("figures").get(0).path("name").asText().contains("tugboat / docker"), report.toString());
    assertTrue(Files.size(out.resolve("startup.png")) > 0);
    assertEquals(0, DockerCli.countContainers(DockerCli.LABEL + "=1"), "no raw docker container left");
    assertEquals(0, DockerCli.countContainers("tugboat.node=" + StartupBench.NODE), "no pod container left");
  }
}
