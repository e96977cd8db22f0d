package dev.tugboat.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one benchmark run found: its series of samples (with their summaries), the ratios and other
 * figures, the goals and whether they were met, the curves of its chart, and notes saying what the
 * figures do and do not include. Written as JSON beside the chart, printed as a table.
 */
public record Report(
    String benchmark,
    String title,
    String command,
    Instant started,
    Duration took,
    Map<String, Object> environment,
    Map<String, Object> parameters,
    List<Series> series,
    List<Figure> figures,
    List<Goal> goals,
    List<Curve> curves,
    String chartXLabel,
    String chartYLabel,
    List<String> notes) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public Report {
    parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    series = List.copyOf(series);
    figures = List.copyOf(figures);
    goals = List.copyOf(goals);
    curves = List.copyOf(curves);
    notes = List.copyOf(notes);
  }

  /** The series called {@code name}, if the report has one. */
  public java.util.Optional<Series> series(String name) {
    return series.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The report as a JSON document: every sample, and each series' summary computed from them. */
  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("benchmark", benchmark);
    root.put("title", title);
    root.put("command", command);
    root.put("started", started.toString());
    root.put("tookSeconds", took.toMillis() / 1000.0);
    root.set("environment", JSON.valueToTree(environment));
    root.set("parameters", JSON.valueToTree(parameters));
    ArrayNode s = root.putArray("series");
    for (Series one : series) {
      ObjectNode node = s.addObject();
      node.put("name", one.name());
      node.put("unit", one.unit());
      node.set("summary", JSON.valueToTree(one.summary()));
      ArrayNode samples = node.putArray("samples");
      one.samples().forEach(samples::add);
    }
    root.set("figures", JSON.valueToTree(figures));
    root.set("goals", JSON.valueToTree(goals));
    root.set("curves", JSON.valueToTree(curves));
    root.set("notes", JSON.valueToTree(notes));
    return root;
  }

  public String toJsonString() {
    try {
      return JSON.writeValueAsString(toJson());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Collects a report while a benchmark runs. */
  public static final class Builder {
    private final String benchmark;
    private final String title;
    private final Instant started = Instant.now();
    private final long startedNanos = System.nanoTime();
    private String command = "";
    private final Map<String, Object> environment = new LinkedHashMap<>();
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, List<Double>> samples = new LinkedHashMap<>();
    private final Map<String, String> units = new LinkedHashMap<>();
    private final List<Figure> figures = new ArrayList<>();
    private final List<Goal> goals = new ArrayList<>();
    private final List<Curve> curves = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private String chartXLabel = "repetition";
    private String chartYLabel = "ms";

    public Builder(String benchmark, String title) {
      this.benchmark = benchmark;
      this.title = title;
    }

    public Builder command(String command) {
      this.command = command;
      return this;
    }

    public Builder environment(String key, Object value) {
      environment.put(key, value);
      return this;
    }

    public Builder parameter(String key, Object value) {
      parameters.put(key, value);
      return this;
    }

    /** Declares a series, so it appears (in this order) even before its first sample. */
    public Builder series(String name, String unit) {
      samples.computeIfAbsent(name, k -> new ArrayList<>());
      units.put(name, unit);
      return this;
    }

    public synchronized Builder sample(String series, double value) {
      samples.computeIfAbsent(series, k -> new ArrayList<>()).add(value);
      units.putIfAbsent(series, "ms");
      return this;
    }

    public synchronized List<Double> samples(String series) {
      return List.copyOf(samples.getOrDefault(series, List.of()));
    }

    public Builder figure(String name, double value, String unit) {
      figures.add(new Figure(name, value, unit));
      return this;
    }

    /** Adds the ratio of two series' medians as a figure, and returns it. */
    public double ratioOfMedians(String numerator, String denominator) {
      double ratio = Summary.of(samples(numerator)).p50() / Summary.of(samples(denominator)).p50();
      figure(numerator + " / " + denominator + " (p50)", ratio, "x");
      return ratio;
    }

    /** Adds the ratio of two series' p99s as a figure, and returns it. */
    public double ratioOfP99(String numerator, String denominator) {
      double ratio = Summary.of(samples(numerator)).p99() / Summary.of(samples(denominator)).p99();
      figure(numerator + " / " + denominator + " (p99)", ratio, "x");
      return ratio;
    }

    public Builder goal(String description, double measured, String unit, boolean met) {
      goals.add(new Goal(description, measured, unit, met));
      return this;
    }

    public Builder curve(Curve curve) {
      curves.add(curve);
      return this;
    }

    public Builder chartLabels(String x, String y) {
      chartXLabel = x;
      chartYLabel = y;
      return this;
    }

    public Builder note(String note) {
      notes.add(note);
      return this;
    }

    public Report build() {
      List<Series> series = new ArrayList<>();
      samples.forEach((name, values) -> series.add(new Series(name, units.getOrDefault(name, "ms"), values)));
      return new Report(benchmark, title, command, started, java.time.Duration.ofNanos(System.nanoTime() - startedNanos),
          environment, parameters, series, figures, goals, curves, chartXLabel, chartYLabel, notes);
    }
  }
}
