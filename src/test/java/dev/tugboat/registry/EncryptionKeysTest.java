package dev.tugboat.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptionKeysTest {
  private static String key(int seed) {
    byte[] b = new byte[32];
    b[0] = (byte) seed;
    return Base64.getEncoder().encodeToString(b);
  }

  private static EncryptionKeys keys(String... namesAndSeeds) {
    StringBuilder yaml = new StringBuilder("keys:\n");
    for (String n : namesAndSeeds) yaml.append("  - {name: ").append(n).append(", secret: ").append(key(n.hashCode())).append("}\n");
    return EncryptionKeys.parse(yaml.toString(), "test");
  }

  @Test
  void theNewestKeyEncryptsAndEveryKeyDecrypts() {
    byte[] plain = "hunter2".getBytes(StandardCharsets.UTF_8);
    String old = keys("old").encrypt(plain);
    assertTrue(old.startsWith("k8s:enc:aesgcm:v1:old:"), old);
    assertNotEquals(old, keys("old").encrypt(plain), "a fresh nonce each time");
    EncryptionKeys rotated = keys("new", "old");
    assertEquals("new", rotated.newest());
    assertTrue(rotated.encrypt(plain).startsWith("k8s:enc:aesgcm:v1:new:"));
    assertArrayEquals(plain, rotated.decrypt(old), "the old key still decrypts");
    IllegalArgumentException gone = assertThrows(IllegalArgumentException.class, () -> keys("new").decrypt(old));
    assertTrue(gone.getMessage().contains("key \"old\", which the key file no longer holds"), gone.getMessage());
  }

  @Test
  void aTamperedValueOrAnotherKeyUnderTheSameNameIsRefused() {
    String sealed = keys("k").encrypt("x".getBytes(StandardCharsets.UTF_8));
    char[] chars = sealed.toCharArray();
    chars[chars.length - 3] = chars[chars.length - 3] == 'A' ? 'B' : 'A';
    assertThrows(IllegalArgumentException.class, () -> keys("k").decrypt(new String(chars)));
    EncryptionKeys impostor = EncryptionKeys.parse("keys: [{name: k, secret: " + key(99) + "}]", "test");
    assertThrows(IllegalArgumentException.class, () -> impostor.decrypt(sealed));
  }

  @Test
  void badKeyFilesSayWhatIsWrong() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> EncryptionKeys.parse("keys: []", "f")).getMessage()
        .contains("names no key"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> EncryptionKeys.parse(
        "keys: [{name: a, secret: " + Base64.getEncoder().encodeToString(new byte[16]) + "}]", "f")).getMessage()
        .contains("keys[0].secret must be 32 bytes"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> EncryptionKeys.parse(
        "keys: [{name: 'a:b', secret: " + key(1) + "}]", "f")).getMessage().contains("keys[0].name"));
  }

  @Test
  void aMissingFileIsCreatedWithOneKeyReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/keys.yaml");
    EncryptionKeys created = EncryptionKeys.load(file);
    assertEquals(1, created.names().size());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    EncryptionKeys again = EncryptionKeys.load(file);
    assertEquals(created.names(), again.names());
    assertArrayEquals("v".getBytes(), again.decrypt(created.encrypt("v".getBytes())), "the same key, read back");
    assertEquals(List.of(), Files.list(file.getParent()).filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
  }
}
