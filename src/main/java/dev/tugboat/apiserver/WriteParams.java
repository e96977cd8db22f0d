package dev.tugboat.apiserver;

import dev.tugboat.model.Status;
import dev.tugboat.registry.WriteOptions;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The query parameters every write takes, checked as kube-apiserver checks them: {@code dryRun}
 * (only {@code All}), {@code fieldManager} (at most 128 printable characters; by default the
 * program name of the User-Agent, as Kubernetes does, except for an apply, which must name one),
 * and {@code force} (an apply's only).
 */
record WriteParams(WriteOptions options, Status failure) {
  static final int MAX_MANAGER_LENGTH = 128;

  static WriteParams of(HttpRequest request, boolean apply) {
    var query = request.getUri().query();
    WriteParams params = of(query.getAll("dryRun"), query.get("fieldManager").orElse(null),
        query.get("force").orElse(null), request.getHeader("User-Agent").map(h -> h.value()).orElse(""), apply);
    return params.failure() != null ? params
        : new WriteParams(params.options().withRequester(requester(request)), null);
  }

  /**
   * The authenticated user of a request and its User-Agent, for dynamic admission and the audit
   * trail every event records (none on a request that was not authenticated).
   */
  static dev.tugboat.registry.Requester requester(HttpRequest request) {
    String userAgent = request.getHeader("User-Agent").map(h -> h.value()).orElse("");
    return request.getAttribute(ApiServer.USER)
        .map(u -> new dev.tugboat.registry.Requester(u.username(), u.uid(), u.groups(), u.extra(), userAgent))
        .orElse(dev.tugboat.registry.Requester.NONE);
  }

  static WriteParams of(List<String> dryRun, String fieldManager, String force, String userAgent, boolean apply) {
    for (String d : dryRun) {
      if (!d.equals("All")) return failed("dryRun: Unsupported value: \"" + d + "\": supported values: \"All\"");
    }
    boolean forced = false;
    if (force != null) {
      if (!apply) return failed("force: Invalid value: \"" + force + "\": may not be specified for non-apply patch");
      if (!force.equals("true") && !force.equals("false")) {
        return failed("force: Invalid value: \"" + force + "\": must be true or false");
      }
      forced = force.equals("true");
    }
    String manager = fieldManager;
    if (manager == null || manager.isEmpty()) {
      if (apply) return failed("fieldManager: Required value: is required for apply patch");
      manager = fromUserAgent(userAgent);
    }
    if (manager.length() > MAX_MANAGER_LENGTH) {
      return failed("fieldManager: Too long: may not be more than " + MAX_MANAGER_LENGTH + " bytes");
    }
    for (char c : manager.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        return failed("fieldManager: Invalid value: \"" + manager + "\": must consist of printable characters");
      }
    }
    return new WriteParams(new WriteOptions(manager, !dryRun.isEmpty(), forced), null);
  }

  /** Kubernetes' default manager: the User-Agent up to its first slash ({@code kubectl/v1.33.0 ...} is kubectl). */
  static String fromUserAgent(String userAgent) {
    String program = userAgent == null ? "" : userAgent.split("/", 2)[0].trim();
    if (program.length() > MAX_MANAGER_LENGTH) program = program.substring(0, MAX_MANAGER_LENGTH);
    return program.isEmpty() ? "unknown" : program;
  }

  private static WriteParams failed(String message) {
    return new WriteParams(null, Status.badRequest(message));
  }
}
