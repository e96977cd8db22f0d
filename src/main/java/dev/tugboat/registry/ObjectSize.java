package dev.tugboat.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * How large an object is as JSON, at most: Kubernetes' 1.5 MiB cap (etcd's request limit). Every
 * command, reply and published change carries a whole object between members, so the cap is what
 * Artery's frame (conf/application.conf, {@code maximum-frame-size}) is sized for. Counted by walking
 * the tree, which stops as soon as the limit is passed, rather than by serializing every write.
 */
final class ObjectSize {
  /** Kubernetes' limit on one object (etcd's 1.5 MiB request limit). */
  static final long LIMIT = 3L * 1024 * 1024 / 2;

  private ObjectSize() {}

  /** Whether {@code object} needs more than {@code limit} bytes of JSON. */
  static boolean exceeds(JsonNode object, long limit) {
    return bytes(object, limit + 1) > limit;
  }

  /** The JSON bytes of {@code node}, counted up to about {@code stopAt}. */
  static long bytes(JsonNode node, long stopAt) {
    long total = 0;
    if (node.isObject()) {
      total += 2;
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext() && total <= stopAt) {
        Map.Entry<String, JsonNode> field = fields.next();
        total += utf8(field.getKey()) + 4 + bytes(field.getValue(), stopAt - total);
      }
    } else if (node.isArray()) {
      total += 2;
      for (int i = 0; i < node.size() && total <= stopAt; i++) total += 1 + bytes(node.get(i), stopAt - total);
    } else if (node.isTextual() || node.isBinary()) {
      total += utf8(node.asText()) + 2; // binary: its base64 text, as JSON writes it
    } else {
      total += node.asText().length();
    }
    return total;
  }

  private static long utf8(String text) {
    long n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c)) {
        n += 12; // Jackson writes a character beyond the BMP as two \\uXXXX escapes
        i++;
      } else n += 3;
    }
    return n;
  }
}
