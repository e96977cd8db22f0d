package dev.tugboat.kinds.configmap;

import dev.tugboat.model.FieldError;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The rules ConfigMaps and Secrets share: keys that can be file names and variable names, values
 * of at most 1 MiB in all, and {@code immutable}.
 */
public final class ConfigData {
  /** Kubernetes' limit on a ConfigMap's or Secret's data (etcd's request limit, with room). */
  public static final int MAX_SIZE = 1024 * 1024;
  private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final String KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
      + "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

  private ConfigData() {}

  /** Why {@code key} cannot name a value (it becomes a file name in a volume); empty when it can. */
  public static List<String> keyProblems(String key) {
    if (key.isEmpty()) return List.of("must be non-empty");
    if (key.length() > 253) return List.of("must be no more than 253 characters");
    if (!KEY.matcher(key).matches()) return List.of(KEY_MSG);
    if (key.equals(".")) return List.of("must not be '.'");
    if (key.equals("..")) return List.of("must not be '..'");
    if (key.startsWith("..")) return List.of("must not start with '..'");
    return List.of();
  }

  /** Checks each key of {@code values} at {@code path[key]}; returns the bytes they hold. */
  public static long keys(List<FieldError> errors, String path, Map<String, String> values, boolean base64) {
    if (values == null) return 0;
    long size = 0;
    for (Map.Entry<String, String> e : values.entrySet()) {
      String field = path + "[" + e.getKey() + "]";
      for (String problem : keyProblems(e.getKey())) errors.add(FieldError.invalid(field, e.getKey(), problem));
      String value = e.getValue() == null ? "" : e.getValue();
      if (base64) {
        try {
          size += Base64.getDecoder().decode(value).length;
        } catch (IllegalArgumentException bad) {
          errors.add(FieldError.invalid(field, "<value omitted>", "illegal base64 data: " + bad.getMessage()));
        }
      } else {
        size += value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      }
    }
    return size;
  }

  /** A key may be in only one of two maps. */
  public static void noDuplicates(List<FieldError> errors, String path, Map<String, String> first,
      Map<String, String> second, String firstName) {
    if (first == null || second == null) return;
    for (String key : second.keySet()) {
      if (first.containsKey(key)) {
        errors.add(FieldError.invalid(path + "[" + key + "]", key, "duplicate of key present in " + firstName));
      }
    }
  }

  public static void size(List<FieldError> errors, long bytes) {
    if (bytes > MAX_SIZE) {
      errors.add(new FieldError("data", "FieldValueTooLong", "",
          "must have at most " + MAX_SIZE + " bytes (has " + bytes + ")"));
    }
  }

  /**
   * Once {@code immutable} is true, neither it nor the data may change: Kubernetes lets nodes stop
   * watching such objects.
   */
  public static void immutable(List<FieldError> errors, Boolean before, Boolean after, List<Object> dataBefore,
      List<Object> dataAfter) {
    if (!Boolean.TRUE.equals(before)) return;
    if (!Boolean.TRUE.equals(after)) {
      errors.add(FieldError.forbidden("immutable", "field is immutable when `immutable` is set"));
    }
    if (!Objects.equals(dataBefore, dataAfter)) {
      errors.add(FieldError.forbidden("data", "field is immutable when `immutable` is set"));
    }
  }
}
