package dev.tugboat.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys that encrypt objects at rest (Secrets), as Kubernetes' EncryptionConfiguration with the
 * {@code aesgcm} provider: AES-256-GCM, a random 96-bit nonce per value, and the key's name in the
 * stored prefix ({@code k8s:enc:aesgcm:v1:<key>:}) so that the newest key encrypts while the older
 * ones still decrypt: rotation is adding a key first, rewriting every Secret, then removing the old.
 *
 * <p>The key file (YAML: {@code keys: [{name: ..., secret: <base64 of 32 bytes>}]}, newest first) is
 * created with one random key and mode 0600 when it does not exist. Every member of a cluster must
 * read the same file.
 */
public final class EncryptionKeys {
  private static final String PREFIX = "k8s:enc:aesgcm:v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, SecretKey> keys; // in file order: the first encrypts
  private final String newest;

  private EncryptionKeys(Map<String, SecretKey> keys) {
    if (keys.isEmpty()) throw new IllegalArgumentException("the key file names no key");
    this.keys = keys;
    this.newest = keys.keySet().iterator().next();
  }

  /** Reads the key file, creating it with one new key first when it does not exist. */
  public static EncryptionKeys load(Path file) {
    try {
      if (!Files.exists(file)) create(file);
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the encryption key file " + file, e);
    }
  }

  /** Keys from the file's text; {@code source} names it in errors. */
  static EncryptionKeys parse(String yaml, String source) {
    JsonNode root = Codec.parseTree(yaml.getBytes(StandardCharsets.UTF_8), true);
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    JsonNode list = root.path("keys");
    for (int i = 0; i < list.size(); i++) {
      String name = list.get(i).path("name").asText("");
      if (name.isEmpty() || name.contains(":")) {
        throw new IllegalArgumentException(source + ": keys[" + i + "].name must be set and hold no ':'");
      }
      byte[] secret;
      try {
        secret = Base64.getDecoder().decode(list.get(i).path("secret").asText(""));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ": keys[" + i + "].secret is not base64");
      }
      if (secret.length != 32) {
        throw new IllegalArgumentException(source + ": keys[" + i + "].secret must be 32 bytes (AES-256), not "
            + secret.length);
      }
      if (keys.put(name, new SecretKeySpec(secret, "AES")) != null) {
        throw new IllegalArgumentException(source + ": key name " + name + " appears twice");
      }
    }
    return new EncryptionKeys(keys);
  }

  /** A new key file with one random key, readable by its owner only. */
  static void create(Path file) throws IOException {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String text = "# Keys that encrypt Secrets at rest (AES-256-GCM), newest first: the first encrypts, all decrypt.\n"
        + "# Every member of the cluster must read this same file. docs/operations.md says how to rotate.\n"
        + "keys:\n  - name: key-" + LocalDate.now() + "\n    secret: " + Base64.getEncoder().encodeToString(secret) + "\n";
    if (file.getParent() != null) Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), ".keys", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, text);
    try {
      // Two members starting at once on one data dir: the first file wins, both read it.
      Files.createLink(file, temp);
    } catch (FileAlreadyExistsException raced) {
      // another process created it first
    } finally {
      Files.delete(temp);
    }
  }

  /** The name of the key that encrypts. */
  public String newest() {
    return newest;
  }

  /** {@code k8s:enc:aesgcm:v1:<key>:<base64(nonce | ciphertext | tag)>} of {@code plaintext}. */
  public String encrypt(byte[] plaintext) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(newest), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(newest.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      return PREFIX + newest + ":" + Base64.getEncoder().encodeToString(
          ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  /**
   * The plaintext of a value {@link #encrypt} made, with whichever key it names.
   *
   * @throws IllegalArgumentException when the value is not ours, names a key this file lacks, or was
   *     altered (GCM's tag does not match)
   */
  public byte[] decrypt(String stored) {
    if (!stored.startsWith(PREFIX)) throw new IllegalArgumentException("not an encrypted value");
    int colon = stored.indexOf(':', PREFIX.length());
    if (colon < 0) throw new IllegalArgumentException("an encrypted value without its key name");
    String name = stored.substring(PREFIX.length(), colon);
    SecretKey key = keys.get(name);
    if (key == null) {
      throw new IllegalArgumentException("the value was encrypted with key \"" + name + "\", which the key file no "
          + "longer holds (it has " + String.join(", ", keys.keySet()) + ")");
    }
    try {
      byte[] raw = Base64.getDecoder().decode(stored.substring(colon + 1));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
      cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("the value encrypted with key \"" + name + "\" does not decrypt: " + e.getMessage());
    }
  }

  /** The names of the keys, newest first. */
  public List<String> names() {
    return new ArrayList<>(keys.keySet());
  }
}
