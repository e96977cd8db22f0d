package dev.tugboat.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pods' ServiceAccount default, and that it is no forbidden change for a pod stored before it existed. */
class PodServiceAccountDefaultTest {
  private static Pod pod(String spec) throws Exception {
    return Codec.json().readValue("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"n\"},"
        + "\"spec\":" + spec + "}", Pod.class);
  }

  @Test
  void defaultsBothFields() throws Exception {
    Pod none = Defaults.pod(pod("{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}"));
    assertEquals("default", none.spec().serviceAccountName());
    assertEquals("default", none.spec().serviceAccount());
    Pod legacy = Defaults.pod(pod("{\"serviceAccount\":\"builder\",\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}"));
    assertEquals("builder", legacy.spec().serviceAccountName());
    assertEquals("builder", legacy.spec().serviceAccount());
  }

  @Test
  void aPodStoredWithoutAnAccountMayBeUpdated() throws Exception {
    Pod defaulted = Defaults.pod(pod("{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}"));
    Pod stored = defaulted.withSpec(defaulted.spec().withServiceAccount(null)); // as written before the default
    Pod updated = Defaults.pod(pod("{\"containers\":[{\"name\":\"c\",\"image\":\"j\"}]}"));
    List<FieldError> errors = new ArrayList<>();
    Validation.validatePodUpdate(errors, stored, updated);
    assertTrue(errors.isEmpty(), errors.toString());
    List<FieldError> changed = new ArrayList<>();
    Validation.validatePodUpdate(changed, defaulted,
        Defaults.pod(pod("{\"serviceAccountName\":\"other\",\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}")));
    assertEquals(1, changed.size(), changed.toString());
  }
}
