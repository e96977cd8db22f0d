package dev.tugboat.security;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Who made a request, as Kubernetes' {@code user.Info}: a name, an optional uid, groups and extra attributes. */
public record UserInfo(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
  /** Everyone Kubernetes' authenticators add to an authenticated user. */
  public static final String AUTHENTICATED = "system:authenticated";
  /** The group that passes every authorization check, as in Kubernetes. */
  public static final String MASTERS = "system:masters";

  public static final UserInfo ANONYMOUS =
      new UserInfo("system:anonymous", null, List.of("system:unauthenticated"), Map.of());

  public UserInfo {
    groups = List.copyOf(groups);
    extra = Map.copyOf(extra);
  }

  /** An authenticated user: {@code system:authenticated} joins the given groups. */
  public static UserInfo authenticated(String username, String uid, List<String> groups) {
    var all = new java.util.ArrayList<>(groups);
    if (!all.contains(AUTHENTICATED)) all.add(AUTHENTICATED);
    return new UserInfo(username, uid, all, Map.of());
  }

  public boolean isAnonymous() {
    return username.equals(ANONYMOUS.username());
  }

  /** As {@code status.userInfo} of a SelfSubjectReview or TokenReview. */
  public ObjectNode toJson() {
    ObjectNode user = JsonNodeFactory.instance.objectNode().put("username", username);
    if (uid != null) user.put("uid", uid);
    ArrayNode g = user.putArray("groups");
    groups.forEach(g::add);
    if (!extra.isEmpty()) {
      ObjectNode e = user.putObject("extra");
      extra.forEach((k, v) -> v.forEach(e.withArray(k)::add));
    }
    return user;
  }
}
