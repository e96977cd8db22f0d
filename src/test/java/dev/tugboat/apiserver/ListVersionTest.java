package dev.tugboat.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A list's resourceVersion, resourceVersionMatch and continue, read as Kubernetes reads them. */
class ListVersionTest {
  @Test
  void noVersionIsAConsistentReadAndZeroIsAny() {
    assertEquals(ListVersion.MOST_RECENT, parse(null, null, null, 0).version());
    assertEquals(ListVersion.MOST_RECENT, parse("", null, null, 500).version());
    assertEquals(ListVersion.ANY, parse("0", null, null, 0).version());
    assertEquals(ListVersion.ANY, parse("0", "NotOlderThan", null, 0).version());
  }

  @Test
  void aVersionIsNotOlderThanItOrExactlyItWithExactOrALimit() {
    assertEquals(new ListVersion(true, 42, -1), parse("42", null, null, 0).version());
    assertEquals(new ListVersion(true, 42, -1), parse("42", "NotOlderThan", null, 10).version());
    assertEquals(new ListVersion(true, 42, 42), parse("42", "Exact", null, 0).version());
    assertEquals(new ListVersion(true, 42, 42), parse("42", null, null, 10).version(), "a paged list from N: exactly N");
  }

  @Test
  void aContinuedListTakesItsVersionFromItsToken() {
    assertEquals(ListVersion.MOST_RECENT, parse(null, null, "token", 5).version());
    assertEquals(ListVersion.MOST_RECENT, parse("0", null, "token", 5).version());
  }

  @Test
  void whatKubernetesRefusesIsA400NamingTheParameter() {
    assertRefused(parse(null, "Exact", null, 0), "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided");
    assertRefused(parse("0", "Exact", null, 0), "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
    assertRefused(parse("5", "Newest", null, 0), "resourceVersionMatch: Unsupported value: \"Newest\"");
    assertRefused(parse("5", "NotOlderThan", "token", 0), "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided");
    assertRefused(parse("5", null, "token", 0), "specifying resource version is not allowed when using continue");
    assertRefused(parse("abc", null, null, 0), "resourceVersion: Invalid value: \"abc\"");
    assertRefused(parse("-3", null, null, 0), "resourceVersion: Invalid value: \"-3\"");
  }

  private static ListVersion.Parsed parse(String rv, String match, String continueToken, int limit) {
    return ListVersion.parse(Optional.ofNullable(rv), Optional.ofNullable(match), Optional.ofNullable(continueToken), limit);
  }

  private static void assertRefused(ListVersion.Parsed parsed, String start) {
    assertNull(parsed.version());
    assertEquals(400, parsed.failure().code());
    assertTrue(parsed.failure().message().startsWith(start), parsed.failure().message());
  }
}
