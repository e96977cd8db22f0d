package dev.tugboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tugboat.security.ClusterCa;
import dev.tugboat.security.Kubeconfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tug} reading a kubeconfig: the written admin one, another context, a path list, bad names. */
class KubeconfigFileTest {
  @TempDir Path dir;

  @Test
  void readsTheAdminKubeconfigTugUpWrites() {
    ClusterCa ca = ClusterCa.loadOrCreate(dir.resolve("pki"), List.of("localhost"));
    Path file = dir.resolve("kubeconfig");
    Kubeconfig.write(file, "https://127.0.0.1:6443/", ca);
    KubeconfigFile k = KubeconfigFile.load(List.of(file), null);
    assertEquals("https://127.0.0.1:6443", k.server());
    assertNull(k.namespace());
    assertNotNull(k.tls(), "https: a TLS context from the CA and the admin certificate");
  }

  @Test
  void aContextChosenByNameAcrossAPathList() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Files.writeString(a, """
        apiVersion: v1
        kind: Config
        current-context: one
        contexts: [{name: one, context: {cluster: c1, user: u}}]
        clusters: [{name: c1, cluster: {server: "http://one:8080"}}]
        """);
    Files.writeString(b, """
        apiVersion: v1
        kind: Config
        contexts: [{name: two, context: {cluster: c2, namespace: team}}]
        clusters: [{name: c2, cluster: {server: "http://two:8080"}}]
        """);
    assertEquals(List.of(a, b), KubeconfigFile.files(a + java.io.File.pathSeparator + b));
    assertEquals("http://one:8080", KubeconfigFile.load(List.of(a, b), null).server());
    KubeconfigFile two = KubeconfigFile.load(List.of(a, b), "two");
    assertEquals("http://two:8080", two.server());
    assertEquals("team", two.namespace());
    assertNull(two.tls());
    CliException missing = assertThrows(CliException.class, () -> KubeconfigFile.load(List.of(a, b), "three"));
    assertTrue(missing.getMessage().contains("three"), missing.getMessage());
  }
}
