package dev.tugboat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  private static Report sample() {
    Report.Builder b = new Report.Builder("startup", "pod start vs docker run (ms)")
        .command("tug bench startup -n 3")
        .parameter("repeat", 3)
        .environment("cores", 2)
        .series("tugboat", "ms").series("docker", "ms");
    for (double v : new double[] {300, 200, 400}) b.sample("tugboat", v);
    for (double v : new double[] {100, 150, 200}) b.sample("docker", v);
    double ratio = b.ratioOfMedians("tugboat", "docker");
    b.goal("p50 at most 1.3x docker", ratio, "x", ratio <= 1.3);
    b.note("a note");
    return b.build();
  }

  @Test
  void jsonHasBothColumnsWithSamplesSummariesRatioAndGoal() throws Exception {
    JsonNode json = new ObjectMapper().readTree(sample().toJsonString());
    assertEquals("startup", json.path("benchmark").asText());
    assertEquals("tug bench startup -n 3", json.path("command").asText());
    assertEquals(3, json.path("parameters").path("repeat").asInt());
    JsonNode series = json.path("series");
    assertEquals(2, series.size());
    assertEquals("tugboat", series.get(0).path("name").asText());
    assertEquals("docker", series.get(1).path("name").asText());
    assertEquals(List.of(300.0, 200.0, 400.0),
        List.of(series.get(0).path("samples").get(0).asDouble(), series.get(0).path("samples").get(1).asDouble(),
            series.get(0).path("samples").get(2).asDouble()));
    assertEquals(300.0, series.get(0).path("summary").path("p50").asDouble());
    assertEquals(150.0, series.get(1).path("summary").path("p50").asDouble());
    JsonNode figure = json.path("figures").get(0);
    assertEquals("tugboat / docker (p50)", figure.path("name").asText());
    assertEquals(2.0, figure.path("value").asDouble(), 1e-9);
    assertEquals("x", figure.path("unit").asText());
    assertFalse(json.path("goals").get(0).path("met").asBoolean());
    assertEquals("a note", json.path("notes").get(0).asText());
  }

  @Test
  void tableShowsSeriesFiguresAndGoals() {
    String table = ReportTable.render(sample());
    assertTrue(table.startsWith("startup: pod start vs docker run (ms)\n"), table);
    assertTrue(table.contains("series   unit  n  p50  p90  p99  min  max  mean"), table);
    assertTrue(table.contains("tugboat  ms    3  300  380  398  200  400   300"), table);
    assertTrue(table.contains("tugboat / docker (p50)   2.00  x"), table);
    assertTrue(table.contains("goal NOT met: p50 at most 1.3x docker (measured 2.00 x)"), table);
  }

  @Test
  void numbersKeepThreeSignificantFigures() {
    assertEquals("1234", ReportTable.number(1234.4));
    assertEquals("12.3", ReportTable.number(12.34));
    assertEquals("1.23", ReportTable.number(1.234));
    assertEquals("0.123", ReportTable.number(0.1234));
    assertEquals("-", ReportTable.number(Double.NaN));
  }

  @Test
  void writerWritesJsonTextAndPng(@TempDir Path dir) throws Exception {
    ReportWriter.write(sample(), dir, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    assertTrue(Files.size(dir.resolve("startup.json")) > 0);
    assertTrue(Files.readString(dir.resolve("startup.txt")).contains("tugboat"));
    byte[] png = Files.readAllBytes(dir.resolve("startup.png"));
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
  }
}
