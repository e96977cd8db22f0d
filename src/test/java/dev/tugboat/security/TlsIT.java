package dev.tugboat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.compat.Kubectl;
import dev.tugboat.model.Codec;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API over HTTPS with the cluster CA: plain HTTP gets no answer, a client without a certificate
 * is anonymous, the admin certificate is {@code tugboat-admin} in {@code system:masters}, another
 * CA's certificate gets a 401 Status, real kubectls work with the kubeconfig Tugboat writes, and a
 * restart keeps the CA. One API-only member for the class, restarted once at the end.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsIT {
  private static final String REVIEWS = "/apis/authentication.k8s.io/v1/selfsubjectreviews";
  private static final String REVIEW = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}";
  private static final Map<String, Object> TLS = Map.of("tugboat.api.tls.enabled", true,
      "tugboat.controllers.run", List.of("namespace"));

  private EmbeddedCassandra cassandra;
  private String keyspace;
  private Tugboat tugboat;
  private ClusterCa ca;
  private Path work;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    this.cassandra = cassandra;
    keyspace = "tls_" + ProcessHandle.current().pid();
    tugboat = TestTugboat.start(cassandra, keyspace, TLS);
    ca = tugboat.tls().orElseThrow().ca();
    work = Files.createDirectories(SharedCassandra.itDir().resolve("tls-" + ProcessHandle.current().pid()));
    dev.tugboat.testing.Await.until("the API answers the admin", Duration.ofSeconds(30),
        () -> admin().get("/api/v1/namespaces/default").code() == 200);
  }

  @AfterAll
  void stop() {
    if (tugboat != null) tugboat.close();
  }

  private Api admin() {
    return new Api(tugboat.apiUrl(), ClusterCa.clientContext(ca.caPem(), ca.admin()));
  }

  @Test
  @Order(1)
  void theApiIsHttpsAndPlainHttpGetsNoAnswer() {
    assertTrue(tugboat.apiUrl().startsWith("https://"), tugboat.apiUrl());
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI uri = URI.create("http://127.0.0.1:" + tugboat.apiPort() + "/api/v1/namespaces");
    assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  @Order(2)
  void withoutACertificateTheRequestIsAnonymous() {
    Api anonymous = new Api(tugboat.apiUrl(), ClusterCa.clientContext(ca.caPem(), null));
    // RBAC grants system:anonymous nothing but health and version, as Kubernetes' defaults: not
    // even a review of itself, and the refusal names who the request was taken for.
    Api.Reply r = anonymous.post(REVIEWS, REVIEW);
    assertEquals(403, r.code(), r.body());
    assertTrue(r.at("/message").contains("User \"system:anonymous\" cannot create resource \"selfsubjectreviews\""), r.body());
    assertEquals("200", String.valueOf(anonymous.get("/healthz").code()), "health answers anonymously");
    assertEquals(200, anonymous.get("/version").code());
  }

  @Test
  @Order(3)
  void theAdminCertificateIsTugboatAdminInSystemMasters() {
    Api.Reply r = admin().post(REVIEWS, REVIEW);
    assertEquals(201, r.code(), r.body());
    assertEquals("tugboat-admin", r.at("/status/userInfo/username"));
    List<String> groups = new java.util.ArrayList<>();
    r.json().at("/status/userInfo/groups").forEach(g -> groups.add(g.asText()));
    assertEquals(List.of("system:masters", "system:authenticated"), groups);
  }

  @Test
  @Order(4)
  void aCertificateOfAnotherCaGetsA401Status() throws Exception {
    ClusterCa stranger = ClusterCa.loadOrCreate(work.resolve("other-pki"), List.of("localhost"));
    ClusterCa.Pair forged = stranger.issueClient("tugboat-admin", List.of("system:masters"), Duration.ofDays(1));
    Api.Reply r = new Api(tugboat.apiUrl(), ClusterCa.clientContext(ca.caPem(), forged))
        .get("/api/v1/namespaces/default");
    assertEquals(401, r.code(), r.body());
    assertEquals("Status", r.at("/kind"));
    assertEquals("Unauthorized", r.at("/reason"));
  }

  @Test
  @Order(5)
  void kubectlsWorkWithTheWrittenKubeconfig() {
    Path kubeconfig = tugboat.kubeconfig();
    assertTrue(Files.exists(kubeconfig));
    Kubectl old = Kubectl.v120Public(work).useKubeconfig(kubeconfig);
    Kubectl.Result got = old.run("get", "namespace", "default", "-o", "name");
    assertEquals(0, got.exit(), got.toString());
    assertEquals("namespace/default", got.out().trim());
    List<Kubectl> modern = new java.util.ArrayList<>();
    Kubectl.v133(work).ifPresent(modern::add);
    modern.add(Kubectl.v135(work));
    for (Kubectl k : modern) {
      k.useKubeconfig(kubeconfig);
      Kubectl.Result whoami = k.run("auth", "whoami", "-o", "json");
      assertEquals(0, whoami.exit(), k + ": " + whoami);
      JsonNode review = Codec.parseTree(whoami.out().getBytes(), false);
      assertEquals("tugboat-admin", review.at("/status/userInfo/username").asText(), k + ": " + whoami.out());
    }
  }

  @Test
  @Order(5)
  void fabric8WorksWithTheWrittenKubeconfig() throws Exception {
    io.fabric8.kubernetes.client.Config config =
        io.fabric8.kubernetes.client.Config.fromKubeconfig(Files.readString(tugboat.kubeconfig()));
    try (var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build()) {
      var ns = client.namespaces().withName("default").get();
      assertEquals("default", ns.getMetadata().getName());
      var review = client.resource(new io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder()
          .withNewMetadata().endMetadata().build()).create();
      assertEquals("tugboat-admin", review.getStatus().getUserInfo().getUsername());
    }
  }

  /**
   * Remoting is TLS both ways on the CA's member certificate: a JVM speaking plain Artery, and one
   * presenting a certificate of the same name from another CA, both seeded with the member's
   * address, never join, and the member's cluster stays one member.
   */
  @Test
  @Order(5)
  void aJvmWithoutTheClustersCertificateCannotJoin() {
    assertEquals("tls-tcp", tugboat.system().settings().config().getString("pekko.remote.artery.transport"));
    String seed = org.apache.pekko.cluster.typed.Cluster.get(tugboat.system()).selfMember().address().toString();
    ClusterCa.loadOrCreate(work.resolve("foreign-pki"), List.of("localhost"));
    Path foreign = work.resolve("foreign-pki");
    List<org.apache.pekko.actor.typed.ActorSystem<Void>> impostors = List.of(
        impostor(seed, Map.of("pekko.remote.artery.transport", "tcp")),
        impostor(seed, Map.of("pekko.remote.artery.transport", "tls-tcp",
            "pekko.remote.artery.ssl.ssl-engine-provider", "org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider",
            "pekko.remote.artery.ssl.rotating-keys-engine.key-file", foreign.resolve("member.key").toString(),
            "pekko.remote.artery.ssl.rotating-keys-engine.cert-file", foreign.resolve("member.crt").toString(),
            "pekko.remote.artery.ssl.rotating-keys-engine.ca-cert-file", foreign.resolve("ca.crt").toString())));
    try {
      dev.tugboat.testing.Holds.during("no impostor joins", Duration.ofSeconds(10), () -> {
        int members = 0;
        for (var m : org.apache.pekko.cluster.typed.Cluster.get(tugboat.system()).state().getMembers()) members++;
        if (members != 1) return members + " members in the cluster";
        for (var i : impostors) {
          var status = org.apache.pekko.cluster.typed.Cluster.get(i).selfMember().status();
          if (status == org.apache.pekko.cluster.MemberStatus.up()) return i.address() + " is Up";
        }
        return null;
      });
    } finally {
      impostors.forEach(org.apache.pekko.actor.typed.ActorSystem::terminate);
    }
  }

  /** A bare Pekko cluster JVM of Tugboat's system name, trying to join through {@code seed}. */
  private static org.apache.pekko.actor.typed.ActorSystem<Void> impostor(String seed, Map<String, Object> remoting) {
    Map<String, Object> o = new java.util.HashMap<>(remoting);
    o.put("pekko.actor.provider", "cluster");
    o.put("pekko.remote.artery.canonical.hostname", "127.0.0.1");
    o.put("pekko.remote.artery.canonical.port", 0);
    o.put("pekko.cluster.seed-nodes", List.of(seed));
    o.put("pekko.cluster.jmx.enabled", false);
    return org.apache.pekko.actor.typed.ActorSystem.create(org.apache.pekko.actor.typed.javadsl.Behaviors.empty(),
        Tugboat.SYSTEM_NAME, com.typesafe.config.ConfigFactory.parseMap(o)
            .withFallback(com.typesafe.config.ConfigFactory.defaultReference()));
  }

  @Test
  @Order(6)
  void aRestartKeepsTheCa() {
    String before = ca.fingerprint();
    tugboat.close();
    tugboat = null;
    tugboat = TestTugboat.start(cassandra, keyspace, TLS);
    ca = tugboat.tls().orElseThrow().ca();
    assertEquals(before, ca.fingerprint());
    Api.Reply r = admin().get("/api/v1/namespaces/default");
    assertEquals(200, r.code(), r.body());
  }
}
