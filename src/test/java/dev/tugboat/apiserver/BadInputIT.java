package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.model.ResourceType;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Thousands of malformed requests, generated from a fixed seed: each gets a 4xx Status naming what
 * is wrong, never a 5xx; afterwards nothing was half-written and the server still serves.
 */
@ExtendWith(SharedCassandra.class)
class BadInputIT {
  private static final long SEED = 20261123L;
  private static final int REQUESTS = 3000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEPLOYMENT = """
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME","labels":{"app":"fuzz"}},
       "spec":{"replicas":2,"selector":{"matchLabels":{"app":"fuzz"}},
               "template":{"metadata":{"labels":{"app":"fuzz"}},
                           "spec":{"containers":[{"name":"c","image":"tugboat/busybox:1.0","ports":[{"containerPort":80}]}]}}}}""";
  private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";

  private static Tugboat tugboat;
  private static Api api;

  @BeforeAll
  static void start(EmbeddedCassandra cassandra) {
    tugboat = TestTugboat.startApiOnly(cassandra, "badinput");
    api = Api.of(tugboat);
    Await.until("the default namespace", Duration.ofSeconds(60), () -> api.get("/api/v1/namespaces/default").code() == 200);
    assertEquals(201, api.post(DEPLOYMENTS, DEPLOYMENT.replace("NAME", "base")).code());
  }

  @AfterAll
  static void stop() {
    if (tugboat != null) tugboat.close();
  }

  /** One malformed request and the kind of mistake it makes. */
  record Case(String mistake, String method, String path, String contentType, byte[] body) {}

  @Test
  void malformedRequestsGetAClearStatusAndChangeNothing() throws Exception {
    JsonNode before = api.get(DEPLOYMENTS + "/base").json();
    List<Case> cases = generate(new Random(SEED));
    Map<String, AtomicInteger> byMistake = new TreeMap<>();
    Map<Integer, AtomicInteger> byCode = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (Case c : cases) {
      byMistake.computeIfAbsent(c.mistake(), k -> new AtomicInteger()).incrementAndGet();
      pool.submit(() -> {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(c.path()))
            .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.contentType() != null) request.header("Content-Type", c.contentType());
        Api.Reply reply = api.send(request);
        byCode.computeIfAbsent(reply.code(), k -> new AtomicInteger()).incrementAndGet();
        String problem = check(reply);
        if (problem != null && wrong.size() < 20) wrong.add(c.mistake() + " " + c.method() + " " + c.path() + ": " + problem);
      });
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.MINUTES));
    System.out.println("bad input: " + cases.size() + " requests (seed " + SEED + "), by mistake " + byMistake
        + ", by code " + new TreeMap<>(byCode));
    assertTrue(wrong.isEmpty(), "requests not answered with a 4xx Status:\n" + String.join("\n", wrong));

    // Nothing half-written: the only deployment is the one created before, unchanged.
    JsonNode list = api.get(DEPLOYMENTS).json();
    assertEquals(1, list.path("items").size(), "no malformed write created anything: " + list);
    assertEquals(before, api.get(DEPLOYMENTS + "/base").json(), "no malformed write changed anything");
    // And the server still serves.
    assertEquals(200, api.get("/readyz").code());
    assertEquals(201, api.post(DEPLOYMENTS, DEPLOYMENT.replace("NAME", "after")).code());
  }

  /**
   * Every kind, verb, query parameter, header and body, mixed from a fixed seed: 10,000 requests,
   * each with something wrong or nothing to write (read verbs, names that do not exist, selectors
   * that match nothing). Never a 5xx, every error a Status, the number of objects of every kind
   * unchanged, the server ready afterwards.
   */
  @Test
  void everyKindVerbParameterHeaderAndBodyGetsAnAnswerNeverA5xx() throws Exception {
    // A kind this JVM knows but the member does not serve: a CRD not yet served here, or what an
    // in-process `tug` learned from discovery (TugCliIT does, before this test in CI's order).
    ResourceType.define("unserved.example.com", "Unserved", List.of(new ResourceType("unserved.example.com", "v1",
        "Unserved", "unserveds", "unserved", List.of(), true, List.of(), List.of("status"), null)));
    Map<String, Integer> before;
    List<HttpRequest> requests = new ArrayList<>();
    try {
      before = counts();
      Random random = new Random(SEED + 1);
      for (int i = 0; i < 10_000; i++) requests.add(wide(random));
    } finally {
      ResourceType.remove("unserved.example.com", "Unserved");
    }
    Map<Integer, AtomicInteger> byCode = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
    for (HttpRequest r : requests) {
      pool.submit(() -> {
        HttpResponse<byte[]> reply;
        try {
          reply = api.client().send(r, HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
          wrong.add(r.method() + " " + r.uri() + ": " + e);
          return;
        }
        byCode.computeIfAbsent(reply.statusCode(), k -> new AtomicInteger()).incrementAndGet();
        String what = r.method() + " " + r.uri() + " " + r.headers().map() + ": ";
        if (reply.statusCode() >= 500) {
          serverErrors.add(what + reply.statusCode() + " " + new String(reply.body(), StandardCharsets.UTF_8));
        } else if (reply.statusCode() >= 400 && !r.method().equals("HEAD")) {
          String problem = checkStatus(reply);
          if (problem != null && wrong.size() < 20) wrong.add(what + problem);
        }
      });
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.MINUTES));
    System.out.println("wide bad input: " + requests.size() + " requests (seed " + (SEED + 1) + "), by code " + new TreeMap<>(byCode));
    assertTrue(serverErrors.isEmpty(), serverErrors.size() + " answered 5xx:\n" + String.join("\n", serverErrors));
    assertTrue(wrong.isEmpty(), "requests answered wrongly:\n" + String.join("\n", wrong));
    assertEquals(before, counts(), "nothing written");
    assertEquals(200, api.get("/readyz").code());
  }

  private static final List<String> NAMES = List.of("fuzz-absent", "UPPER", "a..b", "x".repeat(300), "%2e%2e", "-", "%C3%BCn%C3%AF");
  private static final List<String> SUBRESOURCES = List.of("status", "scale", "log", "binding", "eviction", "history", "exec", "nothing");
  private static final List<String> PARAMS = List.of("labelSelector=a+in+(", "labelSelector=fuzz%3Dnone", "labelSelector=!!",
      "fieldSelector=metadata.nme%3Dx", "fieldSelector=%3D%3D", "fieldSelector=metadata.name%3Dfuzz-absent", "limit=-1", "limit=x",
      "limit=99999999999999999999", "continue=garbage", "continue=%ff%fe", "resourceVersion=x", "resourceVersion=-5",
      "resourceVersion=0", "resourceVersionMatch=Foo", "resourceVersionMatch=Exact", "timeoutSeconds=x", "timeoutSeconds=1",
      "watch=maybe", "dryRun=None", "dryRun=All", "propagationPolicy=Sometimes", "gracePeriodSeconds=x",
      "gracePeriodSeconds=9223372036854775807", "fieldManager=" + "m".repeat(200), "pretty=yes", "allowWatchBookmarks=perhaps",
      "sendInitialEvents=true", "orphanDependents=maybe", "%25zz=1", "a=%25", "includeObject=Everything");
  private static final List<String> CONTENT_TYPES = List.of("application/json", "application/yaml",
      "application/vnd.kubernetes.protobuf", "text/plain", "application/json-patch+json", "application/merge-patch+json",
      "application/strategic-merge-patch+json", "application/apply-patch+yaml", "multipart/form-data; boundary=x",
      "application/json; charset=utf-16", ";;;", "");
  private static final List<String> ACCEPTS = List.of("application/json", "application/json;as=Table;g=meta.k8s.io;v=v1",
      "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1", "application/vnd.kubernetes.protobuf", "application/xml",
      "*/*;q=0", "garbage/", "application/json;as=Table;v=v9", "");

  /** One request of the wide mix; never a write that could succeed. */
  private static HttpRequest wide(Random random) {
    List<ResourceType> types = ResourceType.all();
    ResourceType type = types.get(random.nextInt(types.size()));
    String prefix = (type.group().isEmpty() ? "/api/" : "/apis/" + type.group() + "/") + type.version() + "/";
    String namespace = random.nextInt(10) == 0 ? "NS!" : "default";
    String collection = prefix + (type.namespaced() ? "namespaces/" + namespace + "/" : "") + type.plural();
    String path = switch (random.nextInt(4)) {
      case 0 -> collection;
      case 1 -> collection + "/" + NAMES.get(random.nextInt(NAMES.size()));
      case 2 -> collection + "/" + NAMES.get(random.nextInt(NAMES.size())) + "/" + SUBRESOURCES.get(random.nextInt(SUBRESOURCES.size()));
      default -> collection + "/" + NAMES.get(random.nextInt(NAMES.size())) + "/a/b/c";
    };
    StringBuilder query = new StringBuilder();
    for (int n = random.nextInt(4); n > 0; n--) query.append(query.length() == 0 ? "?" : "&").append(PARAMS.get(random.nextInt(PARAMS.size())));
    String method = List.of("GET", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE").get(random.nextInt(9));
    boolean collectionPath = path.equals(collection);
    if (method.equals("DELETE") && collectionPath) query.append(query.length() == 0 ? "?" : "&").append("labelSelector=fuzz%3Dnone");
    // a create's body is always broken, so nothing is written; other verbs name objects that do not exist
    byte[] body = switch (random.nextInt(8)) {
      case 0 -> null;
      case 1 -> randomBytes(random, 1 + random.nextInt(300));
      case 2 -> bytes("{}");
      case 3 -> bytes("[1,2,{\"a\":");
      case 4 -> bytes("{\"apiVersion\":\"" + type.group() + "/" + type.version() + "\",\"kind\":\"" + type.kind()
          + "\",\"metadata\":{\"name\":\"UPPER_case/x\"}}");
      case 5 -> bytes("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"fuzz-absent\"}}");
      case 6 -> bytes("[".repeat(3000) + "]".repeat(3000));
      default -> bytes("null");
    };
    // a name no kind accepts: RBAC's names are path segments, so "-" or "UPPER_case" alone would be a role's
    if (method.equals("POST") && collectionPath && (body == null || random.nextBoolean())) body = bytes("{\"metadata\":{\"name\":\"-/\"}}");
    HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path + query)).timeout(Duration.ofSeconds(30))
        .method(method, body == null || method.equals("HEAD") || method.equals("GET")
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    String contentType = CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()));
    if (!contentType.isEmpty()) b.header("Content-Type", contentType);
    String accept = ACCEPTS.get(random.nextInt(ACCEPTS.size()));
    if (!accept.isEmpty()) b.header("Accept", accept);
    return b.build();
  }

  /** How many objects of every kind there are. */
  private static Map<String, Integer> counts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (ResourceType type : ResourceType.all()) {
      if (type.kind().equals("Unserved")) continue;
      String path = (type.group().isEmpty() ? "/api/" : "/apis/" + type.group() + "/") + type.version() + "/" + type.plural();
      Api.Reply r = api.get(path);
      if (r.code() == 200) counts.put(type.kind(), r.json().path("items").size());
    }
    return counts;
  }

  /** An error is right when its body is a Status (JSON, YAML or protobuf, as negotiated) with its code. */
  private static String checkStatus(HttpResponse<byte[]> reply) {
    String type = reply.headers().firstValue("Content-Type").orElse("");
    try {
      JsonNode status = type.startsWith(ProtobufBodies.MEDIA_TYPE) ? ProtobufBodies.decode(reply.body())
          : type.startsWith("application/yaml") ? dev.tugboat.model.Codec.yaml().readTree(reply.body())
          : JSON.readTree(reply.body());
      if (!status.path("kind").asText().equals("Status")) return "not a Status (" + type + ")";
      if (status.path("code").asInt() != reply.statusCode()) return "Status code differs: " + status;
      return status.path("message").asText().isBlank() ? "no message: " + status : null;
    } catch (Exception e) {
      return "body is not a Status (" + type + "): " + e.getMessage();
    }
  }

  /** A reply is right when it is a 4xx with a Status body whose code is the HTTP code. */
  private static String check(Api.Reply reply) {
    if (reply.code() < 400 || reply.code() >= 500) return "code " + reply.code() + " " + reply.body();
    try {
      JsonNode status = JSON.readTree(reply.body());
      if (!status.path("kind").asText().equals("Status")) return "not a Status: " + reply.body();
      if (status.path("code").asInt() != reply.code()) return "Status code differs: " + reply.body();
      if (status.path("message").asText().isBlank()) return "no message: " + reply.body();
      return null;
    } catch (Exception e) {
      return "body is not JSON: " + reply.body();
    }
  }

  static List<Case> generate(Random random) {
    String valid = DEPLOYMENT.replace("NAME", "fuzz");
    String base = DEPLOYMENTS + "/base";
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      String name = "fuzz-" + i;
      String body = valid.replace("\"fuzz\"", "\"" + name + "\"").replace("\"app\":\"" + name + "\"", "\"app\":\"fuzz\"");
      int kind = random.nextInt(22);
      cases.add(switch (kind) {
        case 0 -> new Case("truncated-json", "POST", DEPLOYMENTS, "application/json",
            bytes(body.substring(0, 1 + random.nextInt(body.length() - 2))));
        case 1 -> new Case("random-bytes", "POST", DEPLOYMENTS, "application/json", randomBytes(random, 1 + random.nextInt(400)));
        case 2 -> new Case("broken-yaml", "POST", DEPLOYMENTS, "application/yaml",
            bytes("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\n spec: [\n" + "\t".repeat(random.nextInt(3))));
        case 3 -> new Case("unsupported-media-type", "POST", DEPLOYMENTS,
            List.of("text/plain", "application/xml", "application/vnd.kubernetes.protobuf", "image/png").get(random.nextInt(4)), bytes(body));
        case 4 -> new Case("unknown-kind", "POST", DEPLOYMENTS, "application/json",
            bytes(body.replace("\"kind\":\"Deployment\"", "\"kind\":\"Deploymint\"")));
        case 5 -> new Case("unknown-apiVersion", "POST", DEPLOYMENTS, "application/json",
            bytes(body.replace("\"apiVersion\":\"apps/v1\"", "\"apiVersion\":\"apps/v" + (2 + random.nextInt(9)) + "\"")));
        case 6 -> new Case("kind-not-the-path", "POST", "/api/v1/namespaces/default/pods", "application/json", bytes(body));
        case 7 -> new Case("namespace-not-the-path", "POST", DEPLOYMENTS, "application/json",
            bytes(body.replace("\"metadata\":{", "\"metadata\":{\"namespace\":\"other-" + random.nextInt(99) + "\",")));
        case 8 -> new Case("invalid-name", "POST", DEPLOYMENTS, "application/json",
            bytes(body.replace("\"name\":\"" + name + "\"", "\"name\":\"" + badName(random) + "\"")));
        case 9 -> new Case("invalid-label", "POST", DEPLOYMENTS, "application/json",
            bytes(body.replace("\"labels\":{\"app\":\"fuzz\"}}", "\"labels\":{\"" + badName(random) + "\":\"x\"}}")));
        case 10 -> new Case("wrong-type", "POST", DEPLOYMENTS, "application/json",
            bytes(body.replace("\"replicas\":2", "\"replicas\":" + List.of("\"two\"", "[2]", "{}", "true", "2.5").get(random.nextInt(5)))));
        case 11 -> new Case("invalid-value", "POST", DEPLOYMENTS, "application/json",
            bytes(random.nextBoolean() ? body.replace("\"replicas\":2", "\"replicas\":-" + (1 + random.nextInt(9)))
                : body.replace("\"containerPort\":80", "\"containerPort\":" + (65536 + random.nextInt(9999)))));
        case 12 -> new Case("selector-mismatch", "POST", DEPLOYMENTS, "application/json",
            bytes(body.replace("\"matchLabels\":{\"app\":\"fuzz\"}", "\"matchLabels\":{\"app\":\"other\"}")));
        case 13 -> new Case("bad-json-patch", "PATCH", base, "application/json-patch+json",
            bytes(List.of("[{\"op\":\"replace\",\"path\":\"/spec/nothing/" + i + "\",\"value\":1}]",
                "[{\"op\":\"explode\",\"path\":\"/spec\"}]", "{\"op\":\"add\"}", "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":99}]",
                "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":\"x\"}]").get(random.nextInt(5))));
        case 14 -> new Case("bad-merge-patch", "PATCH", base, "application/merge-patch+json",
            bytes(List.of("{\"spec\":{\"replicas\":-3}}", "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"x\"}}}}",
                "{\"metadata\":{\"name\":\"renamed\"},\"spec\":{\"template\":null}}", "{not json").get(random.nextInt(4))));
        case 15 -> new Case("bad-strategic-patch", "PATCH", base, "application/strategic-merge-patch+json",
            bytes(List.of("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":\"x\"}]}}}}", "[1,2]",
                "{\"metadata\":{\"$patch\":\"explode\"}}").get(random.nextInt(3))));
        case 16 -> new Case("unsupported-patch-type", "PATCH", base,
            List.of("application/json", "text/plain", "application/apply-patch+yaml").get(random.nextInt(3)), bytes("{}"));
        case 17 -> new Case("stale-resourceVersion", "PUT", base, "application/json",
            bytes(DEPLOYMENT.replace("NAME", "base").replace("\"metadata\":{", "\"metadata\":{\"resourceVersion\":\"" + (1 + random.nextInt(1000)) + "\",")));
        case 18 -> new Case("name-not-the-url", "PUT", base, "application/json", bytes(body));
        case 19 -> new Case("bad-query", "GET", DEPLOYMENTS + List.of("?labelSelector=app+in+(x", "?fieldSelector=spec.replicas%3D2",
            "?limit=many", "?watch=true&resourceVersion=yesterday", "?labelSelector=%21%21x", "?watch=true&timeoutSeconds=soon").get(random.nextInt(6)),
            null, null);
        case 20 -> new Case("wrong-method-or-path", List.of("POST", "PUT", "DELETE", "GET").get(random.nextInt(4)),
            List.of(base + "/scale/extra", "/apis/apps/v2/namespaces/default/deployments", "/api/v1/widgets", base + "/log").get(random.nextInt(4)),
            "application/json", bytes("{}"));
        default -> new Case("too-large", "POST", DEPLOYMENTS, "application/json", tooLarge(body));
      });
    }
    return cases;
  }

  /**
   * The four classes a hostile-input run that was not the project's own found, each over a plain
   * socket, as such a client sends them: every answer a Status, none a 5xx, none a reset.
   */
  @Test
  void theHostileInputClassesFoundOutsideTheProjectGetAStatus() throws Exception {
    // an invalid continue token: it used to stop the kind's index for good (504s after 10 s)
    for (String token : List.of("garbage", "eyJ2IjoxfQ", "%00%ff")) {
      Api.Reply r = api.get(DEPLOYMENTS + "?limit=1&continue=" + token);
      assertEquals(400, r.code(), token + ": " + r.body());
      assertTrue(r.json().path("message").asText().startsWith("continue key is not valid"), r.body());
    }
    assertEquals(200, api.get(DEPLOYMENTS + "?limit=1").code(), "the index serves on");
    // lists with a resourceVersion that is not one
    for (String rv : List.of("abc", "-1", "99999999999999999999999", "")) {
      int code = api.get(DEPLOYMENTS + "?resourceVersion=" + rv + "&resourceVersionMatch=NotOlderThan").code();
      assertTrue(code < 500, "resourceVersion=" + rv + ": " + code);
    }
    // a body over the limit, written whole before the answer is read: a 413, not a reset
    byte[] body = tooLarge(DEPLOYMENT.replace("NAME", "huge"));
    String answer = raw("POST " + DEPLOYMENTS + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length + "\r\n\r\n", body);
    assertTrue(answer.startsWith("HTTP/1.1 413"), answer.lines().findFirst().orElse(answer));
    assertTrue(answer.contains("\"kind\":\"Status\"") && answer.contains("\"reason\":\"RequestEntityTooLarge\""), answer);
    // a TRACE with a body, a broken request line and a broken header: rejected before any route, as a Status
    for (String request : List.of(
        "TRACE / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody",
        "GET /api/v1/pods HTTP/1.1 extra\r\nHost: x\r\n\r\n",
        "GET /api/v1/pods HTTP/1.1\r\nHost: x\r\nBroken Header\r\n\r\n")) {
      String reply = raw(request, new byte[0]);
      assertTrue(reply.startsWith("HTTP/1.1 4"), request + " -> " + reply);
      assertTrue(reply.contains("application/json") && reply.contains("\"kind\":\"Status\""), request + " -> " + reply);
    }
    assertEquals(200, api.get("/readyz").code());
  }

  /** Writes a whole request on a fresh connection, then reads the answer to its end or until idle. */
  private static String raw(String head, byte[] body) throws Exception {
    try (java.net.Socket socket = api.socket()) {
      socket.setSoTimeout(20_000);
      var out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return Api.readResponse(socket.getInputStream());
    }
  }

  private static String badName(Random random) {
    List<String> names = List.of("UPPER", "under_score", "-leading", "trailing-", "sp ace", "x".repeat(254), "dot..dot", "ünï", "a/b", "");
    return names.get(random.nextInt(names.size()));
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] tooLarge(String body) {
    String padding = "x".repeat(3 * 1024 * 1024 + 10);
    return bytes(body.replace("\"labels\":{\"app\":\"fuzz\"}}", "\"labels\":{\"app\":\"fuzz\"},\"annotations\":{\"big\":\"" + padding + "\"}}"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
