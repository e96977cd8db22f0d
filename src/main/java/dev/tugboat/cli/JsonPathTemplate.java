package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * kubectl's JSONPath template ({@code -o jsonpath='{.items[*].metadata.name}'}): text outside braces
 * is printed as it is, {@code {"\n"}} prints a literal, {@code {.path}} prints what the path finds
 * (several results separated by spaces), {@code {range .path}...{end}} repeats its body for each
 * result, relative to it. A path is JSONPath as kubectl reads it ({@code .a.b}, {@code [0]},
 * {@code [*]}, {@code [1:3]}, {@code ..name}, {@code [?(@.name=="x")]}), evaluated by Jayway JsonPath.
 */
final class JsonPathTemplate {
  private static final Configuration JACKSON = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider())
      .mappingProvider(new JacksonMappingProvider())
      .options(Option.ALWAYS_RETURN_LIST, Option.SUPPRESS_EXCEPTIONS)
      .build();

  private sealed interface Part permits Text, Path, Range {}

  private record Text(String text) implements Part {}

  private record Path(JsonPath path) implements Part {}

  private record Range(JsonPath path, List<Part> body) implements Part {}

  private final List<Part> parts;

  private JsonPathTemplate(List<Part> parts) {
    this.parts = parts;
  }

  /** The template, or a CliException saying what is wrong with it, as kubectl says it. */
  static JsonPathTemplate parse(String template) {
    List<List<Part>> open = new ArrayList<>();
    List<JsonPath> ranges = new ArrayList<>();
    List<Part> current = new ArrayList<>();
    int i = 0;
    while (i < template.length()) {
      int brace = template.indexOf('{', i);
      if (brace < 0) {
        current.add(new Text(template.substring(i)));
        break;
      }
      if (brace > i) current.add(new Text(template.substring(i, brace)));
      int close = closing(template, brace);
      String inner = template.substring(brace + 1, close).trim();
      if (inner.startsWith("\"") && inner.endsWith("\"") && inner.length() >= 2) {
        current.add(new Text(unescape(inner.substring(1, inner.length() - 1))));
      } else if (inner.startsWith("range ")) {
        open.add(current);
        ranges.add(compile(inner.substring(6).trim()));
        current = new ArrayList<>();
      } else if (inner.equals("end")) {
        if (open.isEmpty()) throw new CliException("error: error parsing jsonpath " + template + ", not in range, nothing to end");
        List<Part> body = current;
        current = open.remove(open.size() - 1);
        current.add(new Range(ranges.remove(ranges.size() - 1), body));
      } else {
        current.add(new Path(compile(inner)));
      }
      i = close + 1;
    }
    if (!open.isEmpty()) throw new CliException("error: error parsing jsonpath " + template + ", unclosed range");
    return new JsonPathTemplate(current);
  }

  /** The template applied to {@code data}. */
  String apply(JsonNode data) {
    StringBuilder out = new StringBuilder();
    write(parts, data, out);
    return out.toString();
  }

  /** The values {@code path} (kubectl's form) finds in {@code data}, as text, for custom columns. */
  static List<String> values(String path, JsonNode data) {
    List<String> values = new ArrayList<>();
    for (JsonNode n : find(compile(path), data)) values.add(text(n));
    return values;
  }

  private static void write(List<Part> parts, JsonNode data, StringBuilder out) {
    for (Part part : parts) {
      if (part instanceof Text t) {
        out.append(t.text());
      } else if (part instanceof Path p) {
        List<String> values = new ArrayList<>();
        for (JsonNode n : find(p.path(), data)) values.add(text(n));
        out.append(String.join(" ", values));
      } else if (part instanceof Range r) {
        for (JsonNode n : find(r.path(), data)) write(r.body(), n, out);
      }
    }
  }

  private static List<JsonNode> find(JsonPath path, JsonNode data) {
    ArrayNode found = path.read(data, JACKSON);
    List<JsonNode> nodes = new ArrayList<>();
    if (found != null) found.forEach(nodes::add);
    return nodes;
  }

  /** kubectl's relative form ({@code .a}, {@code a}, {@code @.a}) as JSONPath from the root. */
  private static JsonPath compile(String expression) {
    String e = expression.trim();
    if (e.startsWith("$")) e = e.substring(1);
    else if (e.startsWith("@")) e = e.substring(1);
    if (!e.isEmpty() && !e.startsWith(".") && !e.startsWith("[")) e = "." + e;
    try {
      return JsonPath.compile("$" + e);
    } catch (RuntimeException bad) {
      throw new CliException("error: error parsing jsonpath {" + expression + "}: " + bad.getMessage());
    }
  }

  private static int closing(String template, int open) {
    boolean quoted = false;
    for (int i = open + 1; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '\\') i++;
      else if (c == '"') quoted = !quoted;
      else if (c == '}' && !quoted) return i;
    }
    throw new CliException("error: error parsing jsonpath " + template + ", unclosed action");
  }

  private static String text(JsonNode n) {
    return n.isValueNode() ? n.asText() : n.toString();
  }

  private static String unescape(String s) {
    return s.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r").replace("\\\"", "\"").replace("\\\\", "\\");
  }
}
