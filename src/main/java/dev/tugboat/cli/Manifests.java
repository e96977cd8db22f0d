package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads what {@code -f} names: a file, every {@code .yaml}/{@code .yml}/{@code .json} file of a
 * directory (in name order), or {@code -} for stdin; each may hold several YAML documents and
 * {@code kind: List} objects. Objects are kept as JSON trees, unknown fields and all: the server
 * decides what it accepts and says why.
 */
final class Manifests {
  /** One object and where it came from, for messages. */
  record Manifest(ObjectNode object, String source) {}

  private Manifests() {}

  static List<Manifest> read(List<String> names, boolean recursive, InputStream stdin) {
    List<Manifest> out = new ArrayList<>();
    for (String name : names) {
      if (name.equals("-")) {
        try {
          out.addAll(parse(new String(stdin.readAllBytes(), StandardCharsets.UTF_8), "STDIN"));
        } catch (IOException e) {
          throw new CliException("error: cannot read stdin: " + e.getMessage());
        }
        continue;
      }
      Path path = Path.of(name);
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = recursive ? Files.walk(path) : Files.list(path)) {
          for (Path f : files.filter(Files::isRegularFile).filter(Manifests::isManifest).sorted().toList()) {
            out.addAll(parse(readFile(f), f.toString()));
          }
        } catch (IOException e) {
          throw new CliException("error: cannot list " + path + ": " + e.getMessage());
        }
      } else if (Files.isRegularFile(path)) {
        out.addAll(parse(readFile(path), path.toString()));
      } else {
        throw new CliException("error: the path \"" + name + "\" does not exist");
      }
    }
    return out;
  }

  private static boolean isManifest(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }

  private static String readFile(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new CliException("error: cannot read " + f + ": " + e.getMessage());
    }
  }

  static List<Manifest> parse(String text, String source) {
    List<Manifest> out = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = Codec.yaml().readerFor(JsonNode.class).readValues(text)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())) continue;
        if (!doc.isObject()) throw new CliException("error: " + source + ": a manifest must be an object, got " + doc.getNodeType());
        if (doc.path("kind").asText("").endsWith("List") && doc.path("items").isArray()) {
          for (JsonNode item : doc.path("items")) out.add(new Manifest((ObjectNode) item, source));
        } else {
          out.add(new Manifest((ObjectNode) doc, source));
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof CliException c) throw c;
      throw new CliException("error: error parsing " + source + ": " + firstLine(e.getMessage()));
    }
    return out;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
