package dev.tugboat.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Bearer tokens from a static token file, as kube-apiserver's {@code --token-auth-file}: one CSV
 * line per token, {@code token,user,uid,"group1,group2"} (the groups column optional). A request
 * with {@code Authorization: Bearer <token>} of a known token is that user, in
 * {@code system:authenticated} besides its groups; an unknown token is refused (401), never taken
 * for anonymous. Tokens are compared in constant time (every known token is looked at, each through
 * {@link MessageDigest#isEqual} of digests), so the time of a refusal tells nothing of how close a
 * guess came; and no token ever reaches a log or an error message.
 */
public final class TokenFileAuthenticator implements Authenticator, TokenAuthenticator {
  /** One line of the file: the token's digest (the token itself is not kept) and its user. */
  private record Entry(byte[] digest, UserInfo user) {}

  private final List<Entry> entries;

  private TokenFileAuthenticator(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Reads the token file at {@code path}. */
  public static TokenFileAuthenticator read(Path path) {
    try {
      return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the token file " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses the file's text; {@code source} names it in errors. Blank lines and lines starting with
   * {@code #} are skipped.
   *
   * @throws IllegalArgumentException for a line of fewer than three columns, an empty token or
   *     user, or a token given twice (naming the line, never the token)
   */
  public static TokenFileAuthenticator parse(String text, String source) {
    List<Entry> entries = new ArrayList<>();
    List<byte[]> seen = new ArrayList<>();
    String[] lines = text.split("\r?\n");
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      if (line.isBlank() || line.stripLeading().startsWith("#")) continue;
      List<String> columns = csv(line, source, n + 1);
      if (columns.size() < 3) {
        throw new IllegalArgumentException(source + " line " + (n + 1)
            + ": a token line has at least three columns (token,user,uid[,\"groups\"]), found " + columns.size());
      }
      String token = columns.get(0).strip();
      String user = columns.get(1).strip();
      if (token.isEmpty() || user.isEmpty()) {
        throw new IllegalArgumentException(source + " line " + (n + 1) + ": the token and the user may not be empty");
      }
      byte[] digest = digest(token);
      for (byte[] other : seen) {
        if (MessageDigest.isEqual(other, digest)) {
          throw new IllegalArgumentException(source + " line " + (n + 1) + ": this token is given on an earlier line too");
        }
      }
      seen.add(digest);
      List<String> groups = new ArrayList<>();
      if (columns.size() > 3) {
        for (String g : columns.get(3).split(",")) {
          if (!g.isBlank()) groups.add(g.strip());
        }
      }
      String uid = columns.get(2).strip();
      entries.add(new Entry(digest, UserInfo.authenticated(user, uid.isEmpty() ? null : uid, groups)));
    }
    return new TokenFileAuthenticator(entries);
  }

  /** How many tokens the file holds. */
  public int size() {
    return entries.size();
  }

  @Override
  public Outcome authenticate(HttpRequest request) {
    Optional<String> token = bearer(request.getHeader("Authorization").map(h -> h.value()).orElse(null));
    if (token.isEmpty()) return NOT_MINE;
    return authenticateToken(token.get()).<Outcome>map(Authenticated::new)
        .orElse(new Refused("Unauthorized: invalid bearer token"));
  }

  @Override
  public Optional<UserInfo> authenticateToken(String token) {
    byte[] digest = digest(token);
    UserInfo found = null;
    // no early exit: every entry is compared, whichever matches
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.digest(), digest)) found = entry.user();
    }
    return Optional.ofNullable(found);
  }

  /** The token of an {@code Authorization: Bearer <token>} header; empty for any other header or none. */
  static Optional<String> bearer(String header) {
    if (header == null) return Optional.empty();
    String h = header.strip();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.empty();
    String token = h.substring(7).strip();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** The columns of one CSV line: commas separate, double quotes group (a doubled quote is one quote). */
  private static List<String> csv(String line, String source, int number) {
    List<String> columns = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          current.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          current.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        columns.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (quoted) throw new IllegalArgumentException(source + " line " + number + ": a quote is not closed");
    columns.add(current.toString());
    return columns;
  }
}
