package dev.tugboat.registry;

import java.util.List;
import java.util.Map;

/**
 * Who makes a write, as admission sees it (an AdmissionReview's {@code userInfo}): the authenticated
 * user the API server found. A record of its own because the registry may not depend on
 * {@code security}; the API server copies its {@code UserInfo} into one. {@link #NONE} for
 * Tugboat's own components, which write without a user.
 */
public record Requester(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
  /** Tugboat itself (a controller, a node agent): no user. */
  public static final Requester NONE = new Requester("", "", List.of(), Map.of());

  public Requester {
    username = username == null ? "" : username;
    uid = uid == null ? "" : uid;
    groups = groups == null ? List.of() : List.copyOf(groups);
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }
}
