package dev.tugboat.proxy.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.FreePort;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.compat.Kubectl;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.Holds;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.PrometheusText;
import dev.tugboat.testing.SelfSigned;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.javadsl.Flow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ingress controller end to end: two worker members in one JVM configured with the same ports
 * (one serves, the other waits its turn), real busybox httpd pods of two Deployments behind two
 * Services, and Ingresses routing to them by host and path, over HTTP and over TLS with SNI,
 * before and after the Secret is rotated; WebSocket pass-through to an echo server in this JVM (a
 * Service without a selector, with written Endpoints); a route whose Service disappears answering
 * 503 alone; a seeded fuzz of odd requests; kubectl's view of Ingresses, classes and EndpointSlices.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngressIT {
  private static final String IMAGE = "tugboat/busybox:1.0";
  private static final String NS = "/api/v1/namespaces/default/";
  private static final String INGRESSES = "/apis/networking.k8s.io/v1/namespaces/default/ingresses";
  private final long pid = ProcessHandle.current().pid();
  private final String nodeA = "ing-a-" + pid;
  private final String nodeB = "ing-b-" + pid;
  private final int httpPort = FreePort.find();
  private final int httpsPort = FreePort.find();
  private Tugboat control;
  private Tugboat worker;
  private Api api;
  private ServerBinding echoServer;
  private SelfSigned certificate = SelfSigned.rsa("a.test");

  @BeforeAll
  void start(EmbeddedCassandra cassandra) {
    String keyspace = "ingress_it_" + pid;
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", nodeA);
    config.put("tugboat.node.sync-period", "1s");
    config.put("tugboat.proxy.ingress.http-port", httpPort);
    config.put("tugboat.proxy.ingress.https-port", httpsPort);
    config.put("tugboat.proxy.resync", "1s");
    control = TestTugboat.start(cassandra, keyspace, config);
    api = Api.of(control);
    Map<String, Object> second = new HashMap<>(config);
    second.put("pekko.cluster.roles", List.of("worker"));
    second.put("pekko.cluster.seed-nodes", List.of(Cluster.get(control.system()).selfMember().address().toString()));
    second.put("tugboat.node-name", nodeB);
    worker = TestTugboat.start(cassandra, keyspace, second);
    for (String node : List.of(nodeA, nodeB)) {
      Await.until("node " + node + " Ready", Duration.ofSeconds(60), () -> {
        for (JsonNode c : api.get("/api/v1/nodes/" + node).json().path("status").path("conditions")) {
          if (c.path("type").asText().equals("Ready")) return c.path("status").asText().equals("True");
        }
        return false;
      });
    }
  }

  @AfterAll
  void stop() {
    if (echoServer != null) echoServer.unbind();
    if (worker != null) worker.close();
    if (control != null) control.close();
    NodeContainers.removeAll(nodeA, nodeB);
  }

  private Api.Reply create(String path, String json) {
    Api.Reply r = api.post(path, json);
    assertEquals(201, r.code(), r.body());
    return r;
  }

  /** A Deployment of busybox httpd on 8080 answering its name and pod at /, /beta/ and a CGI echoing forwarded headers. */
  private void deployment(String name, int replicas) {
    String script = "mkdir -p /w/beta /w/cgi-bin; echo " + name + " $(hostname) > /w/index.html; cp /w/index.html /w/beta/index.html; "
        + "printf '#!/bin/sh\\\\necho Content-Type: text/plain\\\\necho\\\\necho for=$HTTP_X_FORWARDED_FOR proto=$HTTP_X_FORWARDED_PROTO "
        + "host=$HTTP_X_FORWARDED_HOST port=$HTTP_X_FORWARDED_PORT h=$HTTP_HOST\\\\n' > /w/cgi-bin/h; chmod +x /w/cgi-bin/h; "
        + "exec httpd -f -p 8080 -h /w";
    create("/apis/apps/v1/namespaces/default/deployments", """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},
         "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},
          "template":{"metadata":{"labels":{"app":"%s"}},
           "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"web","image":"%s",
             "command":["sh","-c","%s"],"ports":[{"name":"http","containerPort":8080}],
             "readinessProbe":{"httpGet":{"path":"/","port":"http"},"periodSeconds":1}}]}}}}
        """.formatted(name, replicas, name, name, IMAGE, script.replace("\"", "\\\"")));
  }

  private void service(String name, String app, String ports) {
    create(NS + "services", """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s"},
         "spec":{"selector":{"app":"%s"},"ports":%s}}""".formatted(name, app, ports));
  }

  private int readyEndpoints(String service) {
    int n = 0;
    for (JsonNode s : api.get(NS + "endpoints/" + service).json().path("subsets")) n += s.path("addresses").size();
    return n;
  }

  private static RawHttp.Response get(int port, String host, String path) {
    try {
      return RawHttp.get(port, host, path);
    } catch (IOException e) {
      return new RawHttp.Response(0, e.toString(), "", null);
    }
  }

  private RawHttp.Response get(String host, String path) {
    return get(httpPort, host, path);
  }

  @Test
  @Order(1)
  void anIngressOfTheDefaultClassGetsItsClassAndTheNodesAddress() {
    deployment("alpha", 2);
    deployment("beta", 1);
    service("alpha", "alpha", "[{\"name\":\"http\",\"port\":80,\"targetPort\":\"http\"}]");
    service("beta", "beta", "[{\"name\":\"web\",\"port\":8080,\"targetPort\":8080}]");
    service("doomed", "alpha", "[{\"port\":80,\"targetPort\":8080}]");
    create(NS + "secrets", certificate.secretJson("tls-a"));
    JsonNode ingress = create(INGRESSES, """
        {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"web"},
         "spec":{"tls":[{"hosts":["a.test"],"secretName":"tls-a"}],
          "rules":[
           {"host":"a.test","http":{"paths":[
             {"path":"/","pathType":"Prefix","backend":{"service":{"name":"alpha","port":{"number":80}}}},
             {"path":"/beta","pathType":"Prefix","backend":{"service":{"name":"beta","port":{"name":"web"}}}}]}},
           {"host":"b.test","http":{"paths":[
             {"path":"/cgi-bin/h","pathType":"Exact","backend":{"service":{"name":"beta","port":{"number":8080}}}},
             {"path":"/","pathType":"ImplementationSpecific","backend":{"service":{"name":"alpha","port":{"name":"http"}}}}]}},
           {"host":"*.wild.test","http":{"paths":[
             {"path":"/","pathType":"Prefix","backend":{"service":{"name":"beta","port":{"number":8080}}}}]}}]}}
        """).json();
    assertEquals("tugboat", ingress.at("/spec/ingressClassName").asText(), "the default class, given at creation");
    create(INGRESSES, """
        {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"doomed"},
         "spec":{"rules":[{"host":"doomed.test","http":{"paths":[
           {"path":"/","pathType":"Prefix","backend":{"service":{"name":"doomed","port":{"number":80}}}}]}}]}}""");
    JsonNode tugboat = api.get("/apis/networking.k8s.io/v1/ingressclasses/tugboat").json();
    assertEquals("tugboat.dev/ingress", tugboat.at("/spec/controller").asText());
    assertEquals("true", tugboat.at("/metadata/annotations/ingressclass.kubernetes.io~1is-default-class").asText());
    JsonNode status = Await.until("the Ingress's status", Duration.ofSeconds(30), () -> {
      JsonNode s = api.get(INGRESSES + "/web").json().at("/status/loadBalancer/ingress");
      return s.isArray() && !s.isEmpty() ? s : null;
    });
    assertEquals("127.0.0.1", status.at("/0/ip").asText());
    assertEquals(List.of(httpPort, httpsPort), List.of(status.at("/0/ports/0/port").asInt(), status.at("/0/ports/1/port").asInt()));
    Await.until("alpha's and beta's pods ready", Duration.ofSeconds(90),
        () -> readyEndpoints("alpha") == 2 && readyEndpoints("beta") == 1);
  }

  @Test
  @Order(2)
  void requestsGoByHostAndPathToTheirDeploymentInTurn() {
    Await.until("the ingress answers", Duration.ofSeconds(30), () -> get("a.test", "/").status() == 200);
    List<String> alpha = new ArrayList<>();
    for (int i = 0; i < 6; i++) alpha.add(get("a.test", "/").body().strip());
    assertTrue(alpha.stream().allMatch(b -> b.startsWith("alpha ")), alpha.toString());
    for (int i = 1; i < alpha.size(); i++) assertNotEquals(alpha.get(i - 1), alpha.get(i), "round robin: " + alpha);
    assertTrue(get("a.test", "/beta/").body().startsWith("beta "), "a.test/beta/ goes to beta");
    assertTrue(get("A.TEST:" + httpPort, "/beta/index.html").body().startsWith("beta "), "hosts are case-insensitive, ports ignored");
    assertTrue(get("a.test", "/index.html").body().startsWith("alpha "));
    assertTrue(get("b.test", "/").body().startsWith("alpha "));
    assertTrue(get("x.wild.test", "/").body().startsWith("beta "), "a wildcard host");
    assertEquals(404, get("y.x.wild.test", "/").status(), "a wildcard is one label");
    assertEquals(404, get("nowhere.test", "/").status(), "no rule: 404");
    // the forwarded headers, as the pod's CGI sees them
    String seen = get("b.test", "/cgi-bin/h").body().strip();
    assertEquals("for=127.0.0.1 proto=http host=b.test port=" + httpPort + " h=b.test", seen);
    RawHttp.Response spoofed;
    try {
      spoofed = RawHttp.get(httpPort, "b.test", "/cgi-bin/h", "X-Forwarded-For: 6.6.6.6", "X-Forwarded-Proto: https");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertEquals("for=127.0.0.1 proto=http", spoofed.body().strip().substring(0, "for=127.0.0.1 proto=http".length()),
        "a client's forwarded headers are replaced, not trusted");
  }

  @Test
  @Order(3)
  void tlsIsTerminatedWithTheCertificateSniAsksForEvenAfterTheSecretRotates() throws Exception {
    RawHttp.Response tls = Await.until("TLS answers", Duration.ofSeconds(30), () -> {
      try {
        RawHttp.Response r = RawHttp.getTls(httpsPort, "a.test", "a.test", "/");
        return r.status() == 200 ? r : null;
      } catch (IOException e) {
        return null;
      }
    });
    assertEquals(certificate.x509(), tls.certificate());
    assertTrue(tls.body().startsWith("alpha "), tls.body());
    assertEquals("for=127.0.0.1 proto=https", RawHttp.getTls(httpsPort, "a.test", "b.test", "/cgi-bin/h").body().strip()
        .substring(0, "for=127.0.0.1 proto=https".length()));
    // rotation: a new certificate in the same Secret, seen by the next fresh handshake
    SelfSigned rotated = SelfSigned.ec("a.test");
    Api.Reply patched = api.patch(NS + "secrets/tls-a", """
        {"data":{"tls.crt":"%s","tls.key":"%s"}}""".formatted(SelfSigned.b64(rotated.certificate()),
        SelfSigned.b64(rotated.traditional())), "application/merge-patch+json");
    assertEquals(200, patched.code(), patched.body());
    long before = System.nanoTime();
    Await.until("the rotated certificate", Duration.ofSeconds(30), () -> {
      try {
        return rotated.x509().equals(RawHttp.getTls(httpsPort, "a.test", "a.test", "/").certificate());
      } catch (IOException e) {
        return false;
      }
    });
    System.out.printf("IngressIT: a rotated certificate served %.0f ms after the Secret's update returned%n",
        (System.nanoTime() - before) / 1e6);
    certificate = rotated;
    assertTrue(RawHttp.getTls(httpsPort, "a.test", "a.test", "/").body().startsWith("alpha "));
  }

  @Test
  @Order(4)
  void webSocketsPassThrough() throws Exception {
    Flow<Message, Message, ?> echo = Flow.<Message>create().map(m -> TextMessage.create("echo: " + m.asTextMessage().getStrictText()));
    echoServer = Http.get(control.system()).newServerAt("127.0.0.1", 0).bindSync(request ->
        request.getAttribute(org.apache.pekko.http.javadsl.model.AttributeKeys.webSocketUpgrade)
            .map(upgrade -> upgrade.handleMessagesWith(echo))
            .orElse(HttpResponse.create().withStatus(400))).toCompletableFuture().get(10, TimeUnit.SECONDS);
    int port = echoServer.localAddress().getPort();
    create(NS + "services", """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"echo"},"spec":{"ports":[{"name":"ws","port":80}]}}""");
    create(NS + "endpoints", """
        {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"echo"},
         "subsets":[{"addresses":[{"ip":"127.0.0.1"}],"ports":[{"name":"ws","port":%d}]}]}""".formatted(port));
    create(INGRESSES, """
        {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"ws"},
         "spec":{"rules":[{"http":{"paths":[
           {"path":"/ws","pathType":"Prefix","backend":{"service":{"name":"echo","port":{"name":"ws"}}}}]}}]}}""");
    Await.until("the ws route", Duration.ofSeconds(30), () -> get("", "/ws").status() == 400);
    List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Void> two = new CompletableFuture<>();
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/ws/chat"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            received.add(data.toString());
            if (received.size() == 2) two.complete(null);
            ws.request(1);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    socket.sendText("one", true).get(5, TimeUnit.SECONDS);
    socket.sendText("two", true).get(5, TimeUnit.SECONDS);
    two.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("echo: one", "echo: two"), received);
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
  }

  @Test
  @Order(5)
  void aRouteWhoseServiceDisappearsAnswers503WhileTheOthersWork() {
    Await.until("doomed.test served", Duration.ofSeconds(30), () -> get("doomed.test", "/").status() == 200);
    assertEquals(200, api.delete(NS + "services/doomed").code());
    Await.until("doomed.test 503", Duration.ofSeconds(30), () -> get("doomed.test", "/").status() == 503);
    assertTrue(get("doomed.test", "/").body().contains("service default/doomed not found"));
    Holds.during("the other routes keep working", Duration.ofSeconds(2), () -> {
      int a = get("a.test", "/").status();
      int b = get("x.wild.test", "/").status();
      int doomed = get("doomed.test", "/").status();
      return a == 200 && b == 200 && doomed == 503 ? null : "a.test " + a + ", x.wild.test " + b + ", doomed.test " + doomed;
    });
  }

  @Test
  @Order(6)
  void aSeededFuzzOfOddRequestsGetsNo5xxButTheMissingBackendsAndTheIngressKeepsServing() {
    Random random = new Random(21);
    List<String> hosts = List.of("a.test", "b.test", "x.wild.test", "doomed.test", "A.TEST", "a.test.", "a.test:1",
        "[::1]", "", "a b", "é.test", "*.wild.test", "..", "a..test", "x".repeat(300), "127.0.0.1", "y.x.wild.test");
    List<String> methods = List.of("GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH");
    Map<String, Integer> outcomes = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String host = random.nextInt(10) == 0 ? randomText(random, 1 + random.nextInt(40)) : hosts.get(random.nextInt(hosts.size()));
      String method = methods.get(random.nextInt(methods.size()));
      String path = randomPath(random);
      List<String> headers = new ArrayList<>();
      for (int h = random.nextInt(4); h > 0; h--) headers.add(randomHeader(random));
      String body = "";
      if (method.equals("POST") || method.equals("PUT")) {
        body = randomText(random, random.nextInt(200));
        headers.add("Content-Length: " + body.length());
      }
      String raw = RawHttp.request(method, random.nextInt(30) == 0 ? null : host, path, headers.toArray(String[]::new)) + body;
      if (random.nextInt(15) == 0) {
        // a request line or version the parser cannot read at all
        List<String> broken = List.of("GET /a b HTTP/1.1", "GET / HTTP/9.9", "GARBAGE", "GET / HTTP/1.1 extra", "\u0000\u0001 / x");
        raw = broken.get(random.nextInt(broken.size())) + raw.substring(raw.indexOf("\r\n"));
      }
      RawHttp.Response r;
      try {
        r = RawHttp.send(httpPort, null, raw);
      } catch (IOException e) {
        r = new RawHttp.Response(0, e.toString(), "", null);
      }
      outcomes.merge(String.valueOf(r.status()), 1, Integer::sum);
      boolean doomed = HostMatch.normalize(host).equals("doomed.test");
      // busybox httpd answers 501 to every method but GET and HEAD: that is the pod's answer, passed on
      boolean backendsOwn = r.status() == 501 && !Set.of("GET", "HEAD").contains(method);
      boolean allowed = r.status() > 0 && (r.status() < 500 || (r.status() == 503 && doomed) || backendsOwn);
      if (!allowed) failures.add(r.status() + " for " + raw.replace("\r\n", "\\r\\n") + " -> " + r.head());
    }
    System.out.println("IngressIT: fuzz outcomes by status " + outcomes);
    assertEquals(List.of(), failures);
    assertTrue(get("a.test", "/").body().startsWith("alpha "), "still serving");
    String text = api.get("/metrics").body();
    PrometheusText metrics = PrometheusText.parse(text);
    assertTrue(metrics.value("tugboat_ingress_requests_total", Map.of("ingress", "default/web", "host", "a.test", "path", "/",
        "service", "default/alpha:80", "code", "200")).orElse(0.0) > 0, text);
    assertTrue(metrics.value("tugboat_ingress_requests_total", Map.of("ingress", "default/doomed", "host", "doomed.test",
        "path", "/", "service", "default/doomed:80", "code", "503")).orElse(0.0) > 0, text);
  }

  private static String randomText(Random random, int length) {
    String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@%/?#[]{}<>|\\^` \"";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) s.append(chars.charAt(random.nextInt(chars.length())));
    return s.toString();
  }

  private static String randomPath(Random random) {
    List<String> pieces = List.of("beta", "..", ".", "", "%2f", "%00", "%zz", "index.html", "cgi-bin", "h", "a;b", "?q=1",
        "x".repeat(50), "%E2%82%AC", "ws");
    StringBuilder path = new StringBuilder();
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) path.append('/').append(pieces.get(random.nextInt(pieces.size())));
    if (random.nextInt(20) == 0) path.append("/").append("y".repeat(3000));
    if (random.nextInt(15) == 0) return randomText(random, 1 + random.nextInt(30)).replace(" ", "");
    return path.length() == 0 ? "/" : path.toString();
  }

  private static String randomHeader(Random random) {
    List<String> headers = List.of("X-Forwarded-For: 1.2.3.4", "X-Forwarded-Host: evil", "Connection: keep-alive",
        "Upgrade: websocket", "Expect: 100-continue", "Accept: */*", "Transfer-Encoding: gzip", "Host: second.test",
        "Cookie: a=b", "X-" + randomText(random, 8).replaceAll("[^A-Za-z0-9]", "") + ": " + randomText(random, 20),
        randomText(random, 6) + ": v", "Content-Type: " + randomText(random, 10));
    return headers.get(random.nextInt(headers.size()));
  }

  @Test
  @Order(7)
  void kubectlShowsIngressesClassesAndEndpointSlices() {
    Kubectl kubectl = Kubectl.v133(SharedCassandra.itDir().resolve("ingress-kubectl-" + pid))
        .orElseThrow(() -> new AssertionError("kubectl 1.33 is missing")).configure(control, "default");
    Await.until("alpha's EndpointSlices", Duration.ofSeconds(30), () -> {
      int ready = 0;
      for (JsonNode s : api.get("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dalpha")
          .json().path("items")) {
        for (JsonNode e : s.path("endpoints")) if (e.at("/conditions/ready").asBoolean()) ready++;
      }
      return ready == 2;
    });
    Kubectl.Result get = kubectl.run("get", "ing,ingressclass,endpointslices");
    assertEquals(0, get.exit(), get.toString());
    List<String> headers = get.out().lines().filter(l -> l.startsWith("NAME")).map(l -> String.join(" ", l.trim().split("\\s+")))
        .toList();
    assertEquals(List.of("NAME CLASS HOSTS ADDRESS PORTS AGE", "NAME CONTROLLER PARAMETERS AGE",
        "NAME ADDRESSTYPE PORTS ENDPOINTS AGE"), headers, get.out());
    assertTrue(get.out().lines().anyMatch(l -> l.matches("ingress.networking.k8s.io/web\\s+tugboat\\s+a.test,b.test,\\*.wild.test\\s+"
        + "127.0.0.1\\s+" + httpPort + ", " + httpsPort + "\\s+\\S+")), get.out());
    assertTrue(get.out().lines().anyMatch(l -> l.matches("ingressclass.networking.k8s.io/tugboat\\s+tugboat.dev/ingress\\s+<none>\\s+\\S+")),
        get.out());
    assertTrue(get.out().lines().anyMatch(l -> l.matches("endpointslice.discovery.k8s.io/alpha-\\w{5}\\s+IPv4\\s+\\d+\\s+127.0.0.1\\s+\\S+")),
        get.out());
    Kubectl.Result describe = kubectl.run("describe", "ingress", "web");
    assertEquals(0, describe.exit(), describe.toString());
    for (String expected : List.of("Ingress Class:", "tugboat", "tls-a terminates a.test", "a.test", "/beta", "alpha:80",
        "beta:web", "*.wild.test", "127.0.0.1")) {
      assertTrue(describe.out().contains(expected), "describe shows " + expected + ":\n" + describe.out());
    }
    // kubectl's generator (a protobuf body from 1.33), then served
    Kubectl.Result created = kubectl.run("create", "ingress", "gen", "--class=tugboat", "--rule=gen.test/beta*=alpha:http",
        "--rule=gen.test/cgi-bin/h=beta:8080");
    assertEquals(0, created.exit(), created.toString());
    JsonNode gen = api.get(INGRESSES + "/gen").json();
    assertEquals("Prefix /beta alpha http", gen.at("/spec/rules/0/http/paths/0/pathType").asText() + " "
        + gen.at("/spec/rules/0/http/paths/0/path").asText() + " " + gen.at("/spec/rules/0/http/paths/0/backend/service/name").asText()
        + " " + gen.at("/spec/rules/0/http/paths/0/backend/service/port/name").asText(), gen.toString());
    assertEquals("Exact /cgi-bin/h beta 8080", gen.at("/spec/rules/0/http/paths/1/pathType").asText() + " "
        + gen.at("/spec/rules/0/http/paths/1/path").asText() + " " + gen.at("/spec/rules/0/http/paths/1/backend/service/name").asText()
        + " " + gen.at("/spec/rules/0/http/paths/1/backend/service/port/number").asInt(), gen.toString());
    Await.until("gen.test routed", Duration.ofSeconds(30), () -> get("gen.test", "/beta/").body().startsWith("alpha "));
    assertTrue(get("gen.test", "/cgi-bin/h").body().startsWith("for="));
    // EndpointSlices have no protobuf messages: asked for protobuf alone, 406
    Api.Reply protobufOnly = api.send(java.net.http.HttpRequest.newBuilder(api.uri("/apis/discovery.k8s.io/v1/endpointslices"))
        .header("Accept", "application/vnd.kubernetes.protobuf").GET());
    assertEquals(406, protobufOnly.code(), protobufOnly.body());
  }
}
