package dev.tugboat.kind;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.LabelSelector;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Formatting shared by the printers, written to match kubectl's output character for character. */
public final class Cells {
  public static final String NONE = "<none>";
  public static final String UNKNOWN = "<unknown>";

  private Cells() {}

  /** The text at a field, or {@code fallback} when it is absent or empty. */
  public static String text(JsonNode node, String fallback) {
    String s = node == null || node.isMissingNode() || node.isNull() ? "" : node.asText("");
    return s.isEmpty() ? fallback : s;
  }

  /** The time since {@code timestamp} (RFC 3339) as kubectl shows it, {@code <unknown>} when absent. */
  public static String age(JsonNode timestamp, Instant now) {
    String s = text(timestamp, "");
    if (s.isEmpty()) return UNKNOWN;
    try {
      return human(Duration.between(Instant.parse(s), now));
    } catch (DateTimeParseException e) {
      return UNKNOWN;
    }
  }

  /**
   * A duration as Kubernetes' {@code duration.HumanDuration} writes it: {@code 45s}, {@code 3m20s},
   * {@code 25m}, {@code 5h10m}, {@code 12h}, {@code 3d4h}, {@code 30d}, {@code 2y10d}.
   */
  public static String human(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < -1) return "<invalid>";
    if (seconds < 0) return "0s";
    if (seconds < 120) return seconds + "s";
    long minutes = seconds / 60;
    if (minutes < 10) return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + (seconds % 60) + "s";
    if (minutes < 180) return minutes + "m";
    long hours = minutes / 60;
    if (hours < 8) return minutes % 60 == 0 ? hours + "h" : hours + "h" + (minutes % 60) + "m";
    if (hours < 48) return hours + "h";
    if (hours < 24 * 8) return hours % 24 == 0 ? (hours / 24) + "d" : (hours / 24) + "d" + (hours % 24) + "h";
    if (hours < 24 * 365 * 2) return (hours / 24) + "d";
    if (hours < 24 * 365 * 8) {
      long days = (hours / 24) % 365;
      return days == 0 ? (hours / 24 / 365) + "y" : (hours / 24 / 365) + "y" + days + "d";
    }
    return (hours / 24 / 365) + "y";
  }

  /** {@code a,b,c} of the given field of each element, {@code <none>} when there are none. */
  public static String joined(JsonNode array, String field) {
    List<String> values = new ArrayList<>();
    for (JsonNode e : array) values.add(e.path(field).asText(""));
    return values.isEmpty() ? NONE : String.join(",", values);
  }

  /** A map of labels as a selector, keys sorted: {@code app=web,tier=front}. */
  public static String labels(JsonNode map) {
    if (!map.isObject() || map.isEmpty()) return NONE;
    Map<String, String> sorted = new TreeMap<>();
    map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    List<String> parts = new ArrayList<>();
    sorted.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(",", parts);
  }

  /** A structured label selector as kubectl's {@code FormatLabelSelector} writes it. */
  public static String selector(JsonNode selector) {
    if (!selector.isObject()) return NONE;
    try {
      LabelSelector s = Codec.json().convertValue(selector, LabelSelector.class);
      return s.isEmpty() ? NONE : s.toString();
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }

  public static int integer(JsonNode node) {
    return node.asInt(0);
  }
}
