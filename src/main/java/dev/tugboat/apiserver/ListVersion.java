package dev.tugboat.apiserver;

import dev.tugboat.model.Status;
import java.util.Optional;

/**
 * What a list's {@code resourceVersion}, {@code resourceVersionMatch} and {@code continue} ask for,
 * read as Kubernetes reads them: none is the most recent state (a consistent read); "0" is any
 * state, what the member's index holds now; N is a state not older than N, or exactly N with
 * {@code resourceVersionMatch=Exact} (also N with a {@code limit} and no match, as before that
 * parameter existed); a continued list carries its own version in its token.
 *
 * @param consistent reflect every write acknowledged before the list began
 * @param notOlderThan the least version the answer may have
 * @param exact the version the answer must be at, or -1
 */
record ListVersion(boolean consistent, long notOlderThan, long exact) {
  static final ListVersion ANY = new ListVersion(false, 0, -1);
  static final ListVersion MOST_RECENT = new ListVersion(true, 0, -1);

  /** A list's version, or the 400 Status that names what is wrong with its parameters. */
  record Parsed(ListVersion version, Status failure) {}

  static Parsed parse(Optional<String> resourceVersion, Optional<String> match, Optional<String> continueToken, int limit) {
    String rv = resourceVersion.orElse("");
    String m = match.orElse("");
    if (!m.isEmpty() && !m.equals("Exact") && !m.equals("NotOlderThan")) {
      return failed("resourceVersionMatch: Unsupported value: \"" + m + "\": supported values: \"Exact\", \"NotOlderThan\"");
    }
    if (continueToken.filter(c -> !c.isEmpty()).isPresent()) {
      if (!m.isEmpty()) return failed("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided");
      if (!rv.isEmpty() && !rv.equals("0")) return failed("specifying resource version is not allowed when using continue");
      return new Parsed(MOST_RECENT, null); // the token holds the version of the first page
    }
    if (rv.isEmpty()) {
      if (!m.isEmpty()) return failed("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided");
      return new Parsed(MOST_RECENT, null);
    }
    long version;
    try {
      version = Long.parseLong(rv);
    } catch (NumberFormatException e) {
      version = -1;
    }
    if (version < 0) return failed("resourceVersion: Invalid value: \"" + rv + "\": must be a resourceVersion this server issued");
    if (version == 0) {
      if (m.equals("Exact")) return failed("resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
      return new Parsed(ANY, null);
    }
    boolean exact = m.equals("Exact") || (m.isEmpty() && limit > 0);
    return new Parsed(new ListVersion(true, version, exact ? version : -1), null);
  }

  private static Parsed failed(String message) {
    return new Parsed(null, Status.badRequest(message));
  }
}
