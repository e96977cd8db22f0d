package dev.tugboat.registry;

import java.util.List;

/**
 * Who made a persisted change (the audit trail every event carries): the user, its uid and groups,
 * and the User-Agent of the request ({@code tugboat} for Tugboat's own components, which write under
 * fixed Kubernetes-like identities, see {@link Requester}). Kept small on purpose: it is stored in
 * every event; the object itself is not repeated. Events written before it existed have none (null).
 */
public record ChangedBy(String user, String uid, List<String> groups, String userAgent) {
  public ChangedBy {
    user = user == null ? "" : user;
    uid = uid == null ? "" : uid;
    groups = groups == null ? List.of() : List.copyOf(groups);
    userAgent = userAgent == null ? "" : userAgent;
  }

  /** The requester of a write; {@link Requester#NONE} (nobody named) is the API server itself. */
  public static ChangedBy of(Requester requester) {
    Requester who = requester == null || requester.isNone() ? Requester.APISERVER : requester;
    return new ChangedBy(who.username(), who.uid(), who.groups(), who.userAgent());
  }
}
