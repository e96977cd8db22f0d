package dev.tugboat.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the embedded Cassandra's classpath comes from: the tarball's lib/cassandra/, else the build's resource. */
class EmbeddedCassandraClasspathTest {
  @TempDir Path dist;

  @Test
  void theTarballsLibBesideTheJarInTheResolvedOrder() throws Exception {
    Path jar = Files.writeString(dist.resolve("tugboat-1.0.jar"), "jar");
    Path lib = Files.createDirectories(dist.resolve("cassandra"));
    Files.writeString(lib.resolve("b.jar"), "b");
    Files.writeString(lib.resolve("a.jar"), "a");
    Files.writeString(lib.resolve("cassandra-server.classpath"), "b.jar:a.jar\n");
    assertEquals(Optional.of(lib), EmbeddedCassandra.distributionLib(Optional.of(jar)));
    assertEquals(lib.resolve("b.jar") + ":" + lib.resolve("a.jar"), EmbeddedCassandra.distributionClasspath(lib),
        "the order Maven resolved, not the directory's");
  }

  @Test
  void aCheckoutHasNoLibAndFallsBackToTheBuildsResource() throws Exception {
    Path jar = Files.writeString(dist.resolve("tugboat-1.0.jar"), "jar");
    assertEquals(Optional.empty(), EmbeddedCassandra.distributionLib(Optional.of(jar)));
    assertEquals(Optional.empty(), EmbeddedCassandra.distributionLib(Optional.of(dist)), "classes directory, not a jar");
    Files.createDirectories(dist.resolve("cassandra"));
    assertEquals(Optional.empty(), EmbeddedCassandra.distributionLib(Optional.of(jar)), "a lib without its classpath file");
    // here (target/classes) the fallback is the resource with the local repository's paths
    assertTrue(EmbeddedCassandra.serverClasspath().contains("cassandra-all-"), "the build's resource");
  }

  @Test
  void aMissingJarIsNamed() throws Exception {
    Path lib = Files.createDirectories(dist.resolve("cassandra"));
    Files.writeString(lib.resolve("cassandra-server.classpath"), "gone.jar");
    CassandraStartException e = assertThrows(CassandraStartException.class, () -> EmbeddedCassandra.distributionClasspath(lib));
    assertTrue(e.getMessage().contains("gone.jar"), e.getMessage());
  }
}
