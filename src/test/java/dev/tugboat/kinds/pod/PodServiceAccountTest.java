package dev.tugboat.kinds.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import org.junit.jupiter.api.Test;

/** The ServiceAccount admission rule for new pods, without a registry. */
class PodServiceAccountTest {
  private static final JsonNode ACCOUNTS = tree("""
      [{"metadata":{"name":"builder","namespace":"ci"}},{"metadata":{"name":"default","namespace":"ci"}}]""");

  private static JsonNode tree(String json) {
    try {
      return Codec.json().readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static JsonNode pod(String ns, String spec) {
    return tree("{\"metadata\":{\"name\":\"p\",\"namespace\":\"" + ns + "\"},\"spec\":" + spec + "}");
  }

  @Test
  void anExistingAccountOrDefaultPasses() {
    assertTrue(PodServiceAccount.missing(pod("ci", "{\"serviceAccountName\":\"builder\"}"), ACCOUNTS).isEmpty());
    assertTrue(PodServiceAccount.missing(pod("ci", "{\"serviceAccount\":\"builder\"}"), ACCOUNTS).isEmpty());
    assertTrue(PodServiceAccount.missing(pod("ci", "{}"), ACCOUNTS).isEmpty());
    // default passes even where it is not made yet (a namespace just created)
    assertTrue(PodServiceAccount.missing(pod("fresh", "{\"serviceAccountName\":\"default\"}"), ACCOUNTS).isEmpty());
  }

  @Test
  void aMissingAccountIsA403NamingTheField() {
    var refused = PodServiceAccount.missing(pod("other", "{\"serviceAccountName\":\"builder\"}"), ACCOUNTS).orElseThrow();
    assertEquals(403, refused.code());
    assertEquals("pods \"p\" is forbidden: error looking up service account other/builder: serviceaccount \"builder\" "
        + "not found (spec.serviceAccountName)", refused.message());
    var legacy = PodServiceAccount.missing(pod("ci", "{\"serviceAccount\":\"ghost\"}"), ACCOUNTS).orElseThrow();
    assertTrue(legacy.message().endsWith("(spec.serviceAccount)"), legacy.message());
  }
}
