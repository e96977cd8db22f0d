package dev.tugboat.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.kinds.service.ClusterIpRange;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.ContainerRuntime.ContainerInfo;
import dev.tugboat.runtime.DockerRuntime;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.Holds;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The cluster DNS end to end on one member, real Docker, real Cassandra: busybox containers resolve
 * by name through the resolv.conf their pod was given (nslookup, then wget), a Service created
 * after the pod started, a headless Service, SRV, a StatefulSet pod, ExternalName, and a name
 * outside the cluster forwarded to the host's resolver; dnsPolicy and dnsConfig become the file
 * the app container reads; a Service without a selector keeps its hand-written Endpoints, which
 * the proxy and the DNS use.
 *
 * <p>There is no outside DNS on these machines: the "host's resolv.conf" of this test names a
 * resolver of its own on 127.0.0.153:53, which answers {@code outside.example} and records what
 * it was asked, so that forwarding is asserted, not assumed.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnsIT {
  private static final String IMAGE = "tugboat/busybox:1.0";
  private static final String PODS = "/api/v1/namespaces/default/pods";
  private static final String SERVICES = "/api/v1/namespaces/default/services";
  private static final String ENDPOINTS = "/api/v1/namespaces/default/endpoints";
  private static final String UPSTREAM = "127.0.0.153";
  private static final String OUTSIDE_ADDRESS = "192.0.2.44";

  private final long pid = ProcessHandle.current().pid();
  private final String node = "dns-node-" + pid;
  private final Set<String> forwarded = ConcurrentHashMap.newKeySet();
  private DockerRuntime docker;
  private DnsServer.UdpListener upstream;
  private Tugboat tugboat;
  private Api api;
  private String gateway;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws IOException {
    docker = new DockerRuntime("unix:///var/run/docker.sock", IMAGE);
    gateway = docker.podGateway();
    upstream = DnsServer.bindUdp(new InetSocketAddress(UPSTREAM, 53), (bytes, overTcp) -> {
      try {
        Message query = new Message(bytes);
        String name = query.getQuestion().getName().toString().toLowerCase();
        forwarded.add(name + " " + Type.string(query.getQuestion().getType()));
        boolean known = name.equals("outside.example.");
        Message reply = ClusterResolver.reply(query, known ? Rcode.NOERROR : Rcode.NXDOMAIN, true);
        if (known && query.getQuestion().getType() == Type.A) {
          reply.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 60,
              java.net.InetAddress.getByName(OUTSIDE_ADDRESS)), Section.ANSWER);
        }
        return CompletableFuture.completedFuture(reply.toWire(512));
      } catch (IOException | RuntimeException e) {
        return CompletableFuture.completedFuture(null);
      }
    });
    Path hostResolvConf = SharedCassandra.itDir().resolve("dns-it-" + pid + "-resolv.conf");
    Files.createDirectories(hostResolvConf.getParent());
    Files.writeString(hostResolvConf, "search example.test\nnameserver " + UPSTREAM + "\noptions timeout:2\n");
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", node);
    config.put("tugboat.dns.host-resolv-conf", hostResolvConf.toString());
    tugboat = TestTugboat.start(cassandra, "dns_it_" + pid, config);
    api = Api.of(tugboat);
    Await.until("node Ready", Duration.ofSeconds(60), () -> api.get("/api/v1/nodes/" + node).code() == 200);
    createPod("client", "", "sleep 3600", "");
    awaitRunning("client");
  }

  @AfterAll
  void stop() {
    try {
      if (tugboat != null) tugboat.close();
      if (upstream != null) upstream.close();
      if (docker != null) docker.close();
    } finally {
      NodeContainers.removeAll(node);
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private void createPod(String name, String labels, String command, String more) {
    Api.Reply r = api.post(PODS, """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{%s}},
         "spec":{"terminationGracePeriodSeconds":1%s,"containers":[{"name":"main","image":"%s",
           "command":["sh","-c","%s"]}]}}""".formatted(name, labels, more, IMAGE, command));
    assertEquals(201, r.code(), r.body());
  }

  private JsonNode awaitRunning(String pod) {
    return Await.until(pod + " running and ready", Duration.ofSeconds(60), () -> {
      JsonNode p = api.get(PODS + "/" + pod).json();
      boolean ready = false;
      for (JsonNode c : p.path("status").path("conditions")) {
        if (c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True")) ready = true;
      }
      return ready && !p.path("status").path("podIP").asText("").isEmpty() ? p : null;
    });
  }

  /** The running app container of a pod (not its sandbox). */
  private String container(String pod) {
    String uid = api.get(PODS + "/" + pod).json().path("metadata").path("uid").asText();
    return docker.listContainers(Map.of(ContainerRuntime.POD_UID, uid)).stream()
        .filter(c -> !c.isSandbox() && c.state() == ContainerInfo.State.RUNNING).findFirst().orElseThrow().id();
  }

  private ContainerRuntime.ExecResult exec(String pod, String... command) {
    return docker.exec(container(pod), List.of(command), Duration.ofSeconds(20));
  }

  /** The addresses busybox's nslookup printed for the name (after its "Name:" line), in order. */
  private static List<String> addresses(String output) {
    List<String> result = new ArrayList<>();
    boolean answer = false;
    for (String line : output.split("\n")) {
      if (line.startsWith("Name:")) answer = true;
      if (answer && line.startsWith("Address:")) result.add(line.substring("Address:".length()).strip());
    }
    return result;
  }

  private String clusterIp(String service) {
    return Await.until(service + " has a cluster IP", Duration.ofSeconds(30), () -> {
      String ip = api.get(SERVICES + "/" + service).json().path("spec").path("clusterIP").asText("");
      return ip.isEmpty() ? null : ip;
    });
  }

  // ---- tests ------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void theAppContainerReadsTheResolvConfOfItsPod() {
    String resolvConf = exec("client", "cat", "/etc/resolv.conf").output();
    assertTrue(resolvConf.contains("nameserver " + gateway), resolvConf);
    assertTrue(resolvConf.contains("search default.svc.cluster.local svc.cluster.local cluster.local example.test"),
        resolvConf);
    assertTrue(resolvConf.contains("options ndots:5"), resolvConf);
    assertEquals("client", exec("client", "hostname").output().strip());
  }

  @Test
  @Order(2)
  void aPodResolvesAServiceCreatedAfterItStarted() {
    long before = System.nanoTime();
    Api.Reply created = api.post(SERVICES, """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"late"},
         "spec":{"selector":{"app":"nobody"},"ports":[{"name":"http","port":80}]}}""");
    assertEquals(201, created.code(), created.body());
    long createdAt = System.nanoTime();
    String ip = clusterIp("late");
    long allocatedAt = System.nanoTime();
    // by its short name (the search domains) and by its full name
    List<String> answered = Await.until("the pod resolves late", Duration.ofSeconds(30), () -> {
      List<String> a = addresses(exec("client", "nslookup", "late").output());
      return a.contains(ip) ? a : null;
    });
    long resolvedAt = System.nanoTime();
    assertEquals(List.of(ip), answered);
    assertEquals(List.of(ip), addresses(exec("client", "nslookup", "late.default.svc.cluster.local").output()));
    System.out.printf("DnsIT: Service created (201) %.0f ms after the POST; cluster IP allocated %.0f ms after the 201; "
        + "a pod's nslookup answered with it %.0f ms after that (a docker exec per try included)%n",
        (createdAt - before) / 1e6, (allocatedAt - createdAt) / 1e6, (resolvedAt - allocatedAt) / 1e6);
    assertTrue(resolvedAt - allocatedAt < Duration.ofSeconds(5).toNanos(), "answered within the first tries");
    // a name of the cluster that is no Service does not exist
    String missing = exec("client", "nslookup", "nothing.default.svc.cluster.local").output();
    assertTrue(missing.contains("NXDOMAIN"), missing);
  }

  @Test
  @Order(3)
  void srvNamesTheServicePort() {
    String srv = exec("client", "nslookup", "-type=srv", "_http._tcp.late.default.svc.cluster.local").output();
    assertTrue(srv.contains("late.default.svc.cluster.local"), srv);
    assertTrue(srv.matches("(?s).*\\b0 100 80 late\\.default\\.svc\\.cluster\\.local.*"), srv);
  }

  @Test
  @Order(4)
  void aHeadlessServiceResolvesToItsReadyPodsWhichAnswerThere() {
    for (String name : List.of("hl-a", "hl-b")) {
      Api.Reply r = api.post(PODS, """
          {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"hl"}},
           "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"main","image":"%s",
             "command":["sh","-c","mkdir -p /w; echo %s > /w/index.html; exec httpd -f -p 8080 -h /w"],
             "ports":[{"name":"http","containerPort":8080}]}]}}""".formatted(name, IMAGE, name));
      assertEquals(201, r.code(), r.body());
    }
    Api.Reply created = api.post(SERVICES, """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"hl"},
         "spec":{"clusterIP":"None","selector":{"app":"hl"},"ports":[{"name":"http","port":8080}]}}""");
    assertEquals(201, created.code(), created.body());
    String a = awaitRunning("hl-a").path("status").path("podIP").asText();
    String b = awaitRunning("hl-b").path("status").path("podIP").asText();
    List<String> answered = Await.until("both pods in the headless answer", Duration.ofSeconds(30), () -> {
      List<String> got = addresses(exec("client", "nslookup", "hl").output());
      return got.containsAll(List.of(a, b)) ? got : null;
    });
    assertEquals(2, answered.size(), answered.toString());
    // pods reach each other at these addresses, by name (wget resolves through libc, not nslookup's own code)
    String body = exec("client", "wget", "-qO-", "http://hl:8080/").output().strip();
    assertTrue(body.equals("hl-a") || body.equals("hl-b"), body);
    String srv = exec("client", "nslookup", "-type=srv", "_http._tcp.hl.default.svc.cluster.local").output();
    assertTrue(srv.contains(a.replace('.', '-') + ".hl.default.svc.cluster.local"), srv);
    assertTrue(srv.contains(" 8080 "), "the container port: " + srv);
  }

  @Test
  @Order(5)
  void aStatefulSetPodHasANameOfItsOwn() {
    Api.Reply svc = api.post(SERVICES, """
        {"metadata":{"name":"db"},"spec":{"clusterIP":"None","selector":{"app":"db"},"ports":[{"port":8080}]}}""");
    assertEquals(201, svc.code(), svc.body());
    Api.Reply created = api.post("/apis/apps/v1/namespaces/default/statefulsets", """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},
         "spec":{"replicas":1,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},
          "template":{"metadata":{"labels":{"app":"db"}},
           "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"db","image":"%s",
             "command":["sh","-c","mkdir -p /w; hostname -f > /w/index.html; exec httpd -f -p 8080 -h /w"],
             "ports":[{"containerPort":8080}]}]}}}}""".formatted(IMAGE));
    assertEquals(201, created.code(), created.body());
    String ip = awaitRunning("db-0").path("status").path("podIP").asText();
    Await.until("db-0.db resolves", Duration.ofSeconds(30),
        () -> addresses(exec("client", "nslookup", "db-0.db.default.svc.cluster.local").output()).equals(List.of(ip)));
    // and knows its own name: hostname and subdomain on its sandbox. "db-0.db" has fewer dots than ndots:5,
    // so libc tries the search domains first (busybox's nslookup does so only for names without a dot).
    String fqdn = exec("client", "wget", "-qO-", "http://db-0.db:8080/").output().strip();
    assertEquals("db-0.db.default.svc.cluster.local", fqdn);
  }

  @Test
  @Order(6)
  void externalNamesAreCnamesAndOtherNamesAreForwardedToTheHostsResolver() {
    for (String[] s : List.of(new String[] {"alias", "late.default.svc.cluster.local"}, new String[] {"ext", "outside.example"})) {
      Api.Reply created = api.post(SERVICES, """
          {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s"},
           "spec":{"type":"ExternalName","externalName":"%s"}}""".formatted(s[0], s[1]));
      assertEquals(201, created.code(), created.body());
      assertEquals("", created.json().path("spec").path("clusterIP").asText(""), "no address for an alias");
    }
    String lateIp = clusterIp("late");
    String alias = Await.until("alias resolves", Duration.ofSeconds(30), () -> {
      String out = exec("client", "nslookup", "alias").output();
      return addresses(out).contains(lateIp) ? out : null;
    });
    assertTrue(alias.contains("canonical name = late.default.svc.cluster.local"), alias);
    String ext = exec("client", "nslookup", "ext.default.svc.cluster.local").output();
    assertTrue(ext.contains("canonical name = outside.example"), ext);
    assertEquals(List.of(OUTSIDE_ADDRESS), addresses(ext));
    // a name outside the cluster: forwarded, answered by the host's resolver
    forwarded.clear();
    String outside = exec("client", "nslookup", "outside.example.").output();
    assertEquals(List.of(OUTSIDE_ADDRESS), addresses(outside), outside);
    assertTrue(forwarded.contains("outside.example. A"), "the host's resolver was asked: " + forwarded);
  }

  @Test
  @Order(7)
  void dnsPolicyAndDnsConfigMakeTheFileTheContainerReads() {
    createPod("by-default", "", "sleep 3600", ",\"dnsPolicy\":\"Default\"");
    createPod("by-none", "", "sleep 3600", """
        ,"dnsPolicy":"None","dnsConfig":{"nameservers":["192.0.2.53"],"searches":["only.example"],
         "options":[{"name":"ndots","value":"1"},{"name":"edns0"}]}""");
    createPod("merged", "", "sleep 3600", """
        ,"dnsConfig":{"nameservers":["192.0.2.54"],"searches":["extra.example"],"options":[{"name":"ndots","value":"2"}]}""");
    for (String pod : List.of("by-default", "by-none", "merged")) awaitRunning(pod);
    String byDefault = exec("by-default", "cat", "/etc/resolv.conf").output();
    // the test's host file: its search and options; its loopback nameserver left out (Docker then puts the engine's)
    assertTrue(byDefault.contains("search example.test"), byDefault);
    assertTrue(byDefault.contains("options timeout:2"), byDefault);
    assertTrue(!byDefault.contains("nameserver " + UPSTREAM) && !byDefault.contains("nameserver " + gateway), byDefault);
    String byNone = exec("by-none", "cat", "/etc/resolv.conf").output();
    assertEquals(List.of("search only.example", "nameserver 192.0.2.53", "options ndots:1 edns0"), lines(byNone));
    String merged = exec("merged", "cat", "/etc/resolv.conf").output();
    assertEquals(List.of("search default.svc.cluster.local svc.cluster.local cluster.local example.test extra.example",
        "nameserver " + gateway, "nameserver 192.0.2.54", "options ndots:2"), lines(merged));
    // and bad ones are refused, naming the field
    Api.Reply bad = api.post(PODS, """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"bad"},"spec":{"dnsPolicy":"None",
         "dnsConfig":{"searches":["a.example"]},"containers":[{"name":"c","image":"%s"}]}}""".formatted(IMAGE));
    assertEquals(422, bad.code(), bad.body());
    assertEquals("spec.dnsConfig.nameservers", bad.json().at("/details/causes/0/field").asText(), bad.body());
    Api.Reply many = api.post(PODS, """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"bad"},"spec":{
         "dnsConfig":{"nameservers":["192.0.2.1","192.0.2.2","192.0.2.3","192.0.2.4"]},"containers":[{"name":"c","image":"%s"}]}}"""
        .formatted(IMAGE));
    assertEquals(422, many.code(), many.body());
    assertTrue(many.body().contains("must not have more than 3 nameservers"), many.body());
  }

  /** The lines of a resolv.conf that say something (Docker adds a comment on some versions). */
  private static List<String> lines(String file) {
    return file.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  @Test
  @Order(8)
  void aServiceWithoutASelectorKeepsItsHandWrittenEndpointsWhichTheProxyAndTheDnsUse() throws Exception {
    // a pod that publishes its port: the node's proxy reaches pods at node address and host port
    Api.Reply withPort = api.post(PODS, """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"manual-backend-2"},
         "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"main","image":"%s",
           "command":["sh","-c","mkdir -p /w; echo by-hand > /w/index.html; exec httpd -f -p 8080 -h /w"],
           "ports":[{"name":"http","containerPort":8080}]}]}}""".formatted(IMAGE));
    assertEquals(201, withPort.code(), withPort.body());
    JsonNode backend = awaitRunning("manual-backend-2");
    int hostPort = backend.path("status").path("publishedPorts").get(0).path("hostPort").asInt();
    Api.Reply svc = api.post(SERVICES, """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"manual"},"spec":{"ports":[{"name":"http","port":80}]}}""");
    assertEquals(201, svc.code(), svc.body());
    Api.Reply ep = api.post(ENDPOINTS, """
        {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"manual"},
         "subsets":[{"addresses":[{"ip":"127.0.0.1"}],"ports":[{"name":"http","port":%d}]}]}""".formatted(hostPort));
    assertEquals(201, ep.code(), ep.body());
    String ip = clusterIp("manual");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String body = Await.until("the proxy forwards to the hand-written address", Duration.ofSeconds(30), () -> {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":80/"))
            .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body().strip() : null;
      } catch (IOException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    });
    assertEquals("by-hand", body);
    assertEquals(List.of(ip), addresses(exec("client", "nslookup", "manual").output()));
    // the endpoints controller leaves them alone, also when the Service changes (a reconcile)
    String version = api.get(ENDPOINTS + "/manual").json().path("metadata").path("resourceVersion").asText();
    Api.Reply touched = api.patch(SERVICES + "/manual", "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}",
        "application/merge-patch+json");
    assertEquals(200, touched.code(), touched.body());
    Holds.during("the hand-written Endpoints stay as written", Duration.ofSeconds(3), () -> {
      Api.Reply now = api.get(ENDPOINTS + "/manual");
      if (now.code() != 200) return "gone: " + now.code();
      String v = now.json().path("metadata").path("resourceVersion").asText();
      return v.equals(version) ? null : "rewritten: " + now.body();
    });
    // a headless one without a selector answers with the written addresses
    assertEquals(201, api.post(SERVICES, """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"legacy"},
         "spec":{"clusterIP":"None","ports":[{"port":5432}]}}""").code());
    assertEquals(201, api.post(ENDPOINTS, """
        {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"legacy"},
         "subsets":[{"addresses":[{"ip":"192.0.2.10"}],"ports":[{"port":5432}]}]}""").code());
    Await.until("legacy resolves to the written address", Duration.ofSeconds(30),
        () -> addresses(exec("client", "nslookup", "legacy").output()).equals(List.of("192.0.2.10")));
  }

  @Test
  @Order(9)
  void aPodReachesAClusterIpServiceByItsName() {
    // the headless test's two httpd pods, now behind a Service with a cluster IP, on another port
    Api.Reply created = api.post(SERVICES, """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
         "spec":{"selector":{"app":"hl"},"ports":[{"name":"http","port":80,"targetPort":"http"}]}}""");
    assertEquals(201, created.code(), created.body());
    String ip = clusterIp("web");
    assertTrue(ClusterIpRange.DEFAULT.contains(ip), "a cluster IP of the default range, which pods reach: " + ip);
    // wget resolves through libc and connects to the cluster IP, which the node's proxy answers (no -T:
    // the static busybox of Debian crashes with it)
    Set<String> bodies = new HashSet<>();
    Await.until("both pods answer at http://web/ from a pod", Duration.ofSeconds(30), () -> {
      ContainerRuntime.ExecResult r = exec("client", "wget", "-qO-", "http://web/");
      if (r.exitCode() == 0) bodies.add(r.output().strip());
      return bodies.containsAll(Set.of("hl-a", "hl-b")) ? bodies : null;
    });
    assertEquals(Set.of("hl-a", "hl-b"), bodies);
    ContainerRuntime.ExecResult full = exec("client", "wget", "-qO-", "http://web.default.svc.cluster.local:80/");
    assertEquals(0, full.exitCode(), full.output());
  }
}
