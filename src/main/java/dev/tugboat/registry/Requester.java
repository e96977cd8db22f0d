package dev.tugboat.registry;

import java.util.List;
import java.util.Map;

/**
 * Who makes a write: the authenticated user the API server found (as admission sees it, an
 * AdmissionReview's {@code userInfo}) and the program it came from ({@code userAgent}, the request's
 * User-Agent header). A record of its own because the registry may not depend on {@code security};
 * the API server copies its {@code UserInfo} into one. Tugboat's own components write under the
 * fixed identities Kubernetes gives them ({@link #scheduler()}, {@link #controller}, {@link #node});
 * {@link #NONE} only where nobody said who (the registry then writes as {@link #APISERVER}).
 */
public record Requester(String username, String uid, List<String> groups, Map<String, List<String>> extra,
    String userAgent) {
  /** No user given. */
  public static final Requester NONE = new Requester("", "", List.of(), Map.of());

  /** The API server's own writes (bootstrap objects, admission's side effects), as Kubernetes names them. */
  public static final Requester APISERVER = system("system:apiserver", "system:masters");

  public Requester {
    username = username == null ? "" : username;
    uid = uid == null ? "" : uid;
    groups = groups == null ? List.of() : List.copyOf(groups);
    extra = extra == null ? Map.of() : Map.copyOf(extra);
    userAgent = userAgent == null ? "" : userAgent;
  }

  public Requester(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
    this(username, uid, groups, extra, "");
  }

  /** Whether nobody was named. */
  public boolean isNone() {
    return username.isEmpty();
  }

  /** The scheduler, binding pods: Kubernetes' {@code system:kube-scheduler}. */
  public static Requester scheduler() {
    return system("system:kube-scheduler");
  }

  /**
   * A controller of the controller manager, as kube-controller-manager with
   * {@code --use-service-account-credentials} writes: its own ServiceAccount in {@code kube-system}.
   */
  public static Requester controller(String name) {
    return system("system:serviceaccount:kube-system:" + name,
        "system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated");
  }

  /** The node agent (kubelet) of a node: {@code system:node:<name>} in {@code system:nodes}. */
  public static Requester node(String nodeName) {
    return system("system:node:" + nodeName, "system:nodes", "system:authenticated");
  }

  /**
   * An in-cluster Java service writing through {@code TugboatClient} (actor messages, no HTTP, so no
   * credential to tell one service from another): one fixed identity for them all.
   */
  public static Requester inClusterClient() {
    return new Requester("system:tugboat:in-cluster-client", "", List.of("system:authenticated"), Map.of(),
        "tugboat-client");
  }

  private static Requester system(String username, String... groups) {
    return new Requester(username, "", List.of(groups), Map.of(), "tugboat");
  }
}
