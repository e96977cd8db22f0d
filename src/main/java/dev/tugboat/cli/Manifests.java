package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.ResourceType;

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
  record Manifest(ObjectNode object, String source) {
    /**
     * Where the object goes: its kind's type as the server serves it, its namespace (its own, which
     * must agree with {@code -n}, else {@code options}'), its name (required unless {@code generated}).
     */
    Target target(ApiClient api, ClientOptions options) {
      String apiVersion = object.path("apiVersion").asText("");
      String kind = object.path("kind").asText("");
      ResourceType type = Resources.byKind(api, apiVersion, kind).orElseThrow(() -> new CliException(
          "error: resource mapping not found for kind \"" + kind + "\" in version \"" + apiVersion + "\" (" + source + ")"));
      JsonNode meta = object.path("metadata");
      String name = meta.path("name").asText("");
      String namespace = null;
      if (type.namespaced()) {
        String own = meta.path("namespace").asText("");
        if (!own.isEmpty() && options.namespace != null && !own.equals(options.namespace)) {
          throw new CliException("error: the namespace from the provided object \"" + own + "\" does not match the namespace \""
              + options.namespace + "\". You must pass '--namespace=" + own + "' to perform this operation.");
        }
        namespace = own.isEmpty() ? options.namespace() : own;
      }
      return new Target(type, namespace, name);
    }
  }

  /** An object's place on the server: its type, namespace (null for a cluster-scoped kind) and name. */
  record Target(ResourceType type, String namespace, String name) {
    String path() {
      return Resources.object(type, namespace, name);
    }

    String collection() {
      return Resources.collection(type, namespace);
    }

    String id() {
      return Resources.id(type, name);
    }

    /** {@code KIND NAME} or {@code KIND/NAME} from a command's arguments, in {@code -n}'s namespace. */
    static Target of(ApiClient api, ClientOptions options, String kind, String name, String usage) {
      String[] kn = name == null && kind.contains("/") ? kind.split("/", 2) : new String[] {kind, name};
      if (kn[1] == null || kn[1].isEmpty()) throw new CliException("error: a name is required: " + usage);
      ResourceType type = Resources.type(api, kn[0]);
      return new Target(type, type.namespaced() ? options.namespace() : null, kn[1]);
    }
  }

  private Manifests() {}

  /**
   * Runs {@code each} on every object of the manifests, printing the line it returns, or the error
   * it throws (the others still run): exit code 1 if any failed, as kubectl's apply and create.
   */
  static int forEach(picocli.CommandLine.Model.CommandSpec spec, List<String> files, boolean recursive,
      java.util.function.Function<Manifest, String> each) {
    java.io.PrintWriter out = spec.commandLine().getOut();
    java.io.PrintWriter err = spec.commandLine().getErr();
    int failures = 0;
    for (Manifest m : read(files, recursive, System.in)) {
      try {
        out.println(each.apply(m));
      } catch (CliException e) {
        failures++;
        err.println(TugCommand.message(e));
      }
      out.flush();
    }
    return failures == 0 ? 0 : 1;
  }

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
