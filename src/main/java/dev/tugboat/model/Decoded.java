package dev.tugboat.model;

import java.util.List;

/**
 * A decoded value and the paths of the unknown fields that were dropped from it
 * ({@code spec.template.spec.containers[0].imagee}), for the API's {@code Warning} headers.
 */
public record Decoded<T>(T object, List<String> unknownFields) {
  public Decoded {
    unknownFields = List.copyOf(unknownFields);
  }

  /** The warnings Kubernetes sends for the dropped fields: {@code unknown field "spec.foo"}. */
  public List<String> warnings() {
    return unknownFields.stream().map(f -> "unknown field \"" + f + "\"").toList();
  }
}
