package dev.tugboat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin kubeconfig: a valid kubeconfig document, credentials embedded, readable by its owner only. */
class KubeconfigTest {
  @TempDir Path dir;

  @Test
  void embedsTheCaAndTheAdminCredentials() throws Exception {
    ClusterCa ca = ClusterCa.loadOrCreate(dir.resolve("pki"), List.of("localhost"));
    Path file = dir.resolve("kubeconfig");
    Kubeconfig.write(file, "https://127.0.0.1:6443", ca);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    JsonNode k = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    assertEquals("Config", k.path("kind").asText());
    assertEquals("tugboat", k.path("current-context").asText());
    assertEquals("https://127.0.0.1:6443", k.at("/clusters/0/cluster/server").asText());
    assertEquals(ca.caPem(), decode(k.at("/clusters/0/cluster/certificate-authority-data").asText()));
    assertEquals(ca.admin().certPem(), decode(k.at("/users/0/user/client-certificate-data").asText()));
    assertEquals(ca.admin().keyPem(), decode(k.at("/users/0/user/client-key-data").asText()));
    assertEquals("tugboat-admin", k.at("/contexts/0/context/user").asText());
    assertEquals("tugboat-admin", k.at("/users/0/name").asText());
  }

  @Test
  void aContextMayNameItsNamespace() throws Exception {
    ClusterCa ca = ClusterCa.loadOrCreate(dir.resolve("pki"), List.of("localhost"));
    JsonNode k = new ObjectMapper(new YAMLFactory()).readTree(
        Kubeconfig.render("https://127.0.0.1:6443", ca.caPem(), ca.admin(), "team-a"));
    assertEquals("team-a", k.at("/contexts/0/context/namespace").asText());
    assertEquals("tugboat-admin", k.at("/contexts/0/context/user").asText());
    assertEquals(false, new ObjectMapper(new YAMLFactory()).readTree(Kubeconfig.render("https://127.0.0.1:6443",
        ca.caPem(), ca.admin())).at("/contexts/0/context").has("namespace"));
  }

  @Test
  void membersStartingTogetherOnOneDirectoryShareOneCa() throws Exception {
    List<java.util.concurrent.CompletableFuture<ClusterCa>> starting = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      starting.add(java.util.concurrent.CompletableFuture.supplyAsync(
          () -> ClusterCa.loadOrCreate(dir.resolve("shared"), List.of("localhost"))));
    }
    java.util.Set<String> fingerprints = new java.util.HashSet<>();
    for (var ca : starting) fingerprints.add(ca.join().fingerprint());
    assertEquals(1, fingerprints.size(), "one CA, not one per member: " + fingerprints);
    List<java.util.concurrent.CompletableFuture<ServiceAccountKeys>> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      keys.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> ServiceAccountKeys.loadOrCreate(dir.resolve("shared"))));
    }
    java.util.Set<java.security.interfaces.RSAPublicKey> signers = new java.util.HashSet<>();
    for (var k : keys) signers.add(k.join().signingPublic());
    assertEquals(1, signers.size(), "one ServiceAccount signing key, not one per member");
  }

  private static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }
}
