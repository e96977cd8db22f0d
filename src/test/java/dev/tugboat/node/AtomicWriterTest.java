package dev.tugboat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {
  private static ConfigSources.File file(String text, int mode) {
    return new ConfigSources.File(text.getBytes(), mode);
  }

  private static List<String> entries(Path dir) throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void filesAreReachedThroughTheDataSymlinkAndSwappedAtOnce(@TempDir Path dir) throws Exception {
    assertTrue(AtomicWriter.write(dir, Map.of("level", file("debug", 0644), "conf/app.properties", file("a=1", 0400))));
    assertTrue(Files.isSymbolicLink(dir.resolve("..data")));
    assertEquals(Path.of("..data", "level"), Files.readSymbolicLink(dir.resolve("level")));
    assertEquals("debug", Files.readString(dir.resolve("level")));
    assertEquals("a=1", Files.readString(dir.resolve("conf/app.properties")));
    assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("conf/app.properties"))));
    Path first = dir.resolve(Files.readSymbolicLink(dir.resolve("..data")));

    assertFalse(AtomicWriter.write(dir, Map.of("level", file("debug", 0644), "conf/app.properties", file("a=1", 0400))),
        "the same content: nothing written");
    assertTrue(AtomicWriter.write(dir, Map.of("level", file("info", 0644))));
    assertEquals("info", Files.readString(dir.resolve("level")));
    assertFalse(Files.exists(first), "the old generation is removed");
    assertFalse(Files.exists(dir.resolve("conf")), "a key that went is gone from the volume");
    List<String> names = entries(dir);
    assertEquals(3, names.size(), names.toString()); // ..<stamp>, ..data, level, and nothing else
    assertTrue(names.contains("..data") && names.contains("level"));
  }
}
