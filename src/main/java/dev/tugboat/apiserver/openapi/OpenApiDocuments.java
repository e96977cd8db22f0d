package dev.tugboat.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy;
import dev.tugboat.model.ListMeta;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The API's OpenAPI documents, made from the kinds served: OpenAPI v3 per group-version ({@code
 * /openapi/v3/apis/apps/v1}, with the index {@code /openapi/v3} that kubectl and client-go read
 * first) and one Swagger 2.0 document ({@code /openapi/v2}) for the clients that read that.
 *
 * <p>A kind's schema is its record's ({@link RecordSchemas}), a custom kind's the one its definition
 * declares, marked with {@code x-kubernetes-group-version-kind} as Kubernetes marks them, which is
 * how {@code kubectl explain} finds them. Every resource path has its operations, each with its
 * action and kind, and the query parameters the server reads. PATCH operations name the JSON patch,
 * merge patch and apply patch bodies but not the strategic merge patch, which the server takes all
 * the same: kubectl computes a strategic patch from a document that names it, and these schemas,
 * made from Tugboat's records, do not have every field of Kubernetes' types; without it kubectl
 * computes them from its own compiled-in types, as it did before these documents existed.
 */
public final class OpenApiDocuments {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> WRITE_PARAMS = List.of("dryRun", "fieldManager", "fieldValidation", "pretty");
  private static final List<String> LIST_PARAMS = List.of("labelSelector", "fieldSelector", "limit", "continue",
      "resourceVersion", "resourceVersionMatch", "watch", "allowWatchBookmarks", "timeoutSeconds", "pretty");
  private static final List<String> PATCH_BODIES = List.of("application/json-patch+json", "application/merge-patch+json",
      "application/apply-patch+yaml");

  private final String serverVersion;
  private final Function<String, KindStrategy> strategies;
  private final Predicate<ResourceType> stored;
  private volatile Cached cached;

  private record Cached(long generation, Map<String, ObjectNode> v3, ObjectNode v2) {}

  /**
   * @param serverVersion what {@code info.version} says
   * @param strategies the strategy of a kind served (for a custom kind's declared schema), or null
   * @param stored whether a type is its kind's stored version (the one its record describes)
   */
  public OpenApiDocuments(String serverVersion, Function<String, KindStrategy> strategies, Predicate<ResourceType> stored) {
    this.serverVersion = serverVersion;
    this.strategies = strategies;
    this.stored = stored;
  }

  /** {@code /openapi/v3}: each group-version's path ({@code apis/apps/v1}) and its document's URL. */
  public ObjectNode v3Index() {
    ObjectNode paths = JSON.objectNode();
    current().v3().forEach((gv, doc) -> paths.putObject(gv)
        .put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + hash(doc)));
    ObjectNode index = JSON.objectNode();
    index.set("paths", paths);
    return index;
  }

  /** The v3 document of {@code gv} ({@code api/v1}, {@code apis/apps/v1}), if that group-version is served. */
  public Optional<ObjectNode> v3(String gv) {
    return Optional.ofNullable(current().v3().get(gv));
  }

  /** {@code /openapi/v2}: every kind in one Swagger 2.0 document. */
  public ObjectNode v2() {
    return current().v2();
  }

  /**
   * The documents of the kinds served now, made again after a kind is defined (a CRD created,
   * changed or deleted: its schema may change with its versions staying the same).
   */
  private Cached current() {
    long generation = ResourceType.generation();
    Cached c = cached;
    if (c == null || c.generation() != generation) {
      c = build(generation, ResourceType.all());
      cached = c;
    }
    return c;
  }

  private Cached build(long generation, List<ResourceType> types) {
    Map<String, List<ResourceType>> byGv = new TreeMap<>();
    for (ResourceType t : types) byGv.computeIfAbsent(gvPath(t), k -> new ArrayList<>()).add(t);
    Map<String, ObjectNode> v3 = new TreeMap<>();
    ObjectNode v2Paths = JSON.objectNode();
    ObjectNode v2Definitions = JSON.objectNode();
    byGv.forEach((gv, gvTypes) -> {
      ObjectNode doc = groupVersion(gvTypes);
      v3.put(gv, doc);
      Swagger2.add(doc, v2Paths, v2Definitions);
    });
    ObjectNode v2 = JSON.objectNode().put("swagger", "2.0");
    v2.putObject("info").put("title", "Tugboat").put("version", serverVersion);
    v2.set("paths", v2Paths);
    v2.set("definitions", v2Definitions);
    return new Cached(generation, v3, v2);
  }

  private ObjectNode groupVersion(List<ResourceType> types) {
    RecordSchemas schemas = new RecordSchemas();
    String status = schemas.component(Status.class);
    String listMeta = schemas.component(ListMeta.class);
    ObjectNode paths = JSON.objectNode();
    for (ResourceType t : types) {
      String kind = kindSchema(schemas, t);
      ObjectNode list = JSON.objectNode().put("type", "object");
      ObjectNode props = list.putObject("properties");
      props.putObject("apiVersion").put("type", "string");
      props.putObject("kind").put("type", "string");
      props.putObject("metadata").put("$ref", RecordSchemas.REF_PREFIX + listMeta);
      props.putObject("items").put("type", "array").putObject("items").put("$ref", RecordSchemas.REF_PREFIX + kind);
      gvk(list, t, t.listKind());
      String listName = kind + "List";
      schemas.components().put(listName, list);
      addPaths(paths, t, kind, listName, status);
    }
    ObjectNode doc = JSON.objectNode().put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Tugboat").put("version", serverVersion);
    doc.set("paths", paths);
    ObjectNode components = doc.putObject("components").putObject("schemas");
    schemas.components().forEach(components::set);
    return doc;
  }

  /** The kind's component: its record's at its stored version, its definition's if custom, else any object. */
  private String kindSchema(RecordSchemas schemas, ResourceType t) {
    String name;
    if (t.javaClass() != null && stored.test(t)) {
      name = schemas.component(t.javaClass());
    } else {
      KindStrategy strategy = strategies.apply(t.kind());
      Optional<JsonNode> declared = strategy == null ? Optional.empty() : strategy.declaredSchema(t.version());
      ObjectNode schema = declared.map(d -> (ObjectNode) d.deepCopy()).orElseGet(RecordSchemas::unknownFields);
      ObjectNode props = schema.with("properties");
      props.putObject("apiVersion").put("type", "string");
      props.putObject("kind").put("type", "string");
      props.putObject("metadata").put("$ref", RecordSchemas.REF_PREFIX + schemas.component(ObjectMeta.class));
      schema.put("type", "object");
      name = "io.tugboat." + (t.group().isEmpty() ? "core" : t.group()) + "." + t.version() + "." + t.kind();
      schemas.components().put(name, schema);
    }
    gvk(schemas.components().get(name), t, t.kind());
    return name;
  }

  private static void gvk(ObjectNode schema, ResourceType t, String kind) {
    ArrayNode gvks = schema.withArray("x-kubernetes-group-version-kind");
    for (JsonNode existing : gvks) {
      if (existing.path("group").asText().equals(t.group()) && existing.path("version").asText().equals(t.version())
          && existing.path("kind").asText().equals(kind)) return;
    }
    gvks.addObject().put("group", t.group()).put("kind", kind).put("version", t.version());
  }

  private static void addPaths(ObjectNode paths, ResourceType t, String kind, String list, String status) {
    String base = "/" + gvPath(t);
    String collection = base + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural();
    String item = collection + "/{name}";
    String id = (t.group().isEmpty() ? "Core" : capitalize(t.group().split("\\.")[0])) + capitalize(t.version())
        + (t.namespaced() ? "Namespaced" : "") + t.kind();
    ObjectNode c = path(paths, collection, t.namespaced(), false);
    c.set("get", operation("list", "list" + id, t, t.listKind(), list, LIST_PARAMS, null));
    c.set("post", operation("post", "create" + id, t, t.kind(), kind, WRITE_PARAMS, List.of("application/json", "application/yaml")));
    c.set("delete", operation("deletecollection", "deleteCollection" + id, t, t.kind(), status, List.of("labelSelector", "fieldSelector", "dryRun"), null));
    ObjectNode i = path(paths, item, t.namespaced(), true);
    i.set("get", operation("get", "read" + id, t, t.kind(), kind, List.of("pretty"), null));
    i.set("put", operation("put", "replace" + id, t, t.kind(), kind, WRITE_PARAMS, List.of("application/json", "application/yaml")));
    i.set("patch", operation("patch", "patch" + id, t, t.kind(), kind, append(WRITE_PARAMS, "force"), PATCH_BODIES));
    i.set("delete", operation("delete", "delete" + id, t, t.kind(), status,
        List.of("dryRun", "gracePeriodSeconds", "propagationPolicy", "orphanDependents"), List.of("application/json")));
    if (t.namespaced()) {
      path(paths, base + "/" + t.plural(), false, false).set("get",
          operation("list", "list" + id.replace("Namespaced", "") + "ForAllNamespaces", t, t.listKind(), list, LIST_PARAMS, null));
    }
    if (t.subresources().contains("status")) {
      ObjectNode s = path(paths, item + "/status", t.namespaced(), true);
      s.set("get", operation("get", "read" + id + "Status", t, t.kind(), kind, List.of("pretty"), null));
      s.set("put", operation("put", "replace" + id + "Status", t, t.kind(), kind, WRITE_PARAMS, List.of("application/json")));
      s.set("patch", operation("patch", "patch" + id + "Status", t, t.kind(), kind, append(WRITE_PARAMS, "force"), PATCH_BODIES));
    }
  }

  private static ObjectNode path(ObjectNode paths, String path, boolean namespaced, boolean named) {
    ObjectNode p = paths.putObject(path);
    ArrayNode params = p.putArray("parameters");
    if (named) params.add(parameter("name", "path", true));
    if (namespaced) params.add(parameter("namespace", "path", true));
    return p;
  }

  private static ObjectNode operation(String action, String id, ResourceType t, String kind, String response,
      List<String> query, List<String> bodies) {
    ObjectNode op = JSON.objectNode().put("operationId", id);
    op.putArray("tags").add(gvPath(t).replace('/', '_'));
    ArrayNode params = op.putArray("parameters");
    query.forEach(q -> params.add(parameter(q, "query", false)));
    if (bodies != null) {
      ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
      for (String type : bodies) content.putObject(type).putObject("schema").put("type", "object");
    }
    ObjectNode ok = op.putObject("responses").putObject("200").put("description", "OK").putObject("content");
    for (String type : List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")) {
      ok.putObject(type).putObject("schema").put("$ref", RecordSchemas.REF_PREFIX + response);
    }
    op.put("x-kubernetes-action", action);
    op.putObject("x-kubernetes-group-version-kind").put("group", t.group()).put("kind", kind).put("version", t.version());
    return op;
  }

  private static ObjectNode parameter(String name, String in, boolean required) {
    ObjectNode p = JSON.objectNode().put("name", name).put("in", in);
    if (required) p.put("required", true);
    String type = switch (name) {
      case "limit", "timeoutSeconds", "gracePeriodSeconds" -> "integer";
      case "watch", "allowWatchBookmarks", "force", "orphanDependents" -> "boolean";
      default -> "string";
    };
    p.putObject("schema").put("type", type).put("uniqueItems", true);
    return p;
  }

  /** {@code api/v1} or {@code apis/<group>/<version>}. */
  static String gvPath(ResourceType t) {
    return t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
  }

  private static List<String> append(List<String> list, String more) {
    List<String> all = new ArrayList<>(list);
    all.add(more);
    return all;
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String hash(ObjectNode doc) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-512").digest(doc.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
