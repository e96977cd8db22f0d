package dev.tugboat.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.clusterrole.ClusterRole;
import dev.tugboat.kinds.clusterrolebinding.ClusterRoleBinding;
import dev.tugboat.kinds.role.Role;
import dev.tugboat.kinds.rolebinding.RoleBinding;
import dev.tugboat.model.Codec;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.WatchCache;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * RBAC over this member's index: the roles and bindings are listed from the registry's index (as
 * admission reads its objects), so a binding is in force as soon as its write is acknowledged
 * here. The decoded policy is kept while the four lists hold the same objects at the same versions, so most
 * requests decode nothing. If the index cannot be read the request is refused (fails closed).
 */
public final class Rbac implements Authorizer {
  private static final List<String> KINDS = List.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding");

  private record Cached(List<Long> versions, RbacAuthorizer authorizer) {}

  private final Registry registry;
  private final AtomicReference<Cached> cached = new AtomicReference<>(new Cached(List.of(), null));

  public Rbac(Registry registry) {
    this.registry = registry;
  }

  @Override
  public boolean rbac() {
    return true;
  }

  @Override
  public CompletionStage<RbacAuthorizer.Decision> authorize(UserInfo user, RequestAttributes request) {
    if (user.groups().contains(UserInfo.MASTERS)) {
      return CompletableFuture.completedFuture(new RbacAuthorizer.Decision(true, "the user is in " + UserInfo.MASTERS));
    }
    return current().thenApply(a -> a.authorize(user, request));
  }

  /** The authorizer over the roles and bindings this member's index holds now. */
  public CompletionStage<RbacAuthorizer> current() {
    List<CompletableFuture<WatchCache.ListResult>> lists = KINDS.stream()
        .map(k -> registry.list(k, null, o -> true, 0, null).toCompletableFuture()).toList();
    return CompletableFuture.allOf(lists.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<WatchCache.ListResult> results = lists.stream().map(CompletableFuture::join).toList();
      for (WatchCache.ListResult r : results) {
        if (r.failure() != null) throw new IllegalStateException("cannot read roles and bindings: " + r.failure().message());
      }
      List<Long> versions = results.stream().map(Rbac::fingerprint).toList();
      Cached last = cached.get();
      if (last.authorizer() != null && last.versions().equals(versions)) return last.authorizer();
      RbacAuthorizer authorizer = new RbacAuthorizer(new RbacPolicy(decode(results.get(0).items(), Role.class),
          decode(results.get(1).items(), ClusterRole.class), decode(results.get(2).items(), RoleBinding.class),
          decode(results.get(3).items(), ClusterRoleBinding.class)));
      cached.set(new Cached(versions, authorizer));
      return authorizer;
    });
  }

  /**
   * What a list holds, cheaply: its objects' keys and versions hashed. The index's high-water mark
   * alone would miss a change a catch-up replay inserts below it.
   */
  private static long fingerprint(WatchCache.ListResult list) {
    long h = list.resourceVersion() * 31 + list.items().size();
    for (ObjectNode o : list.items()) {
      var meta = o.path("metadata");
      h = h * 1_000_003 + (meta.path("namespace").asText() + "/" + meta.path("name").asText() + "@"
          + meta.path("resourceVersion").asText()).hashCode();
    }
    return h;
  }

  private static <T> List<T> decode(List<ObjectNode> items, Class<T> type) {
    List<T> out = new ArrayList<>(items.size());
    for (ObjectNode item : items) out.add(Codec.convert(item, type));
    return out;
  }
}
