package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default ClusterRoles and ClusterRoleBindings, created at startup when absent, as
 * kube-apiserver's RBAC bootstrap policy does: {@code cluster-admin} (bound to the group
 * {@code system:masters}); the user-facing {@code admin}, {@code edit} and {@code view}, whose rules
 * are aggregated from ClusterRoles labelled {@code rbac.authorization.k8s.io/aggregate-to-<role>}
 * (the {@code system:aggregate-to-*} roles hold the built-in kinds' rules; a CRD's author adds a
 * labelled role of their own); {@code system:discovery} and {@code system:basic-user} for every
 * authenticated user; {@code system:public-info-viewer} for everyone, anonymous included. Stored
 * objects, not rules in code: a cluster admin may read, bind and change them like any other.
 */
public final class RbacDefaults {
  private static final Logger log = LoggerFactory.getLogger(RbacDefaults.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final String GROUP = "rbac.authorization.k8s.io";
  public static final String AGGREGATE_TO = GROUP + "/aggregate-to-";
  private static final List<String> READ = List.of("get", "list", "watch");
  private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");

  private RbacDefaults() {}

  /** The default objects: each a pair of kind and object. */
  public static List<Map.Entry<String, ObjectNode>> objects() {
    List<Map.Entry<String, ObjectNode>> all = new ArrayList<>();
    ObjectNode admin = clusterRole("cluster-admin", Map.of());
    rule(admin, List.of("*"), List.of("*"), List.of("*"));
    urls(admin, List.of("*"), List.of("*"));
    all.add(Map.entry("ClusterRole", admin));
    all.add(Map.entry("ClusterRoleBinding", binding("cluster-admin", "cluster-admin", "system:masters")));

    ObjectNode discovery = clusterRole("system:discovery", Map.of());
    urls(discovery, List.of("get"), List.of("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi",
        "/openapi/*", "/readyz", "/version", "/version/"));
    all.add(Map.entry("ClusterRole", discovery));
    all.add(Map.entry("ClusterRoleBinding", binding("system:discovery", "system:discovery", "system:authenticated")));

    ObjectNode publicInfo = clusterRole("system:public-info-viewer", Map.of());
    urls(publicInfo, List.of("get"), List.of("/healthz", "/livez", "/readyz", "/version", "/version/"));
    all.add(Map.entry("ClusterRole", publicInfo));
    all.add(Map.entry("ClusterRoleBinding", binding("system:public-info-viewer", "system:public-info-viewer",
        "system:authenticated", "system:unauthenticated")));

    ObjectNode basic = clusterRole("system:basic-user", Map.of());
    rule(basic, List.of("create"), List.of("authorization.k8s.io"), List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"));
    rule(basic, List.of("create"), List.of("authentication.k8s.io"), List.of("selfsubjectreviews"));
    all.add(Map.entry("ClusterRole", basic));
    all.add(Map.entry("ClusterRoleBinding", binding("system:basic-user", "system:basic-user", "system:authenticated")));

    all.add(Map.entry("ClusterRole", aggregated("admin", Map.of())));
    all.add(Map.entry("ClusterRole", aggregated("edit", Map.of(AGGREGATE_TO + "admin", "true"))));
    all.add(Map.entry("ClusterRole", aggregated("view", Map.of(AGGREGATE_TO + "edit", "true"))));

    ObjectNode toView = clusterRole("system:aggregate-to-view", Map.of(AGGREGATE_TO + "view", "true"));
    rule(toView, READ, List.of(""), List.of("pods", "pods/log", "pods/status", "configmaps", "endpoints",
        "persistentvolumeclaims", "persistentvolumeclaims/status", "services", "services/status", "events",
        "limitranges", "resourcequotas", "resourcequotas/status", "namespaces", "namespaces/status", "serviceaccounts"));
    rule(toView, READ, List.of("apps"), List.of("controllerrevisions", "daemonsets", "daemonsets/status", "deployments",
        "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status",
        "statefulsets", "statefulsets/scale", "statefulsets/status"));
    rule(toView, READ, List.of("autoscaling"), List.of("horizontalpodautoscalers", "horizontalpodautoscalers/status"));
    rule(toView, READ, List.of("batch"), List.of("cronjobs", "cronjobs/status", "jobs", "jobs/status"));
    rule(toView, READ, List.of("policy"), List.of("poddisruptionbudgets", "poddisruptionbudgets/status"));
    rule(toView, READ, List.of("networking.k8s.io"), List.of("ingresses", "ingresses/status"));
    rule(toView, READ, List.of("discovery.k8s.io"), List.of("endpointslices"));
    all.add(Map.entry("ClusterRole", toView));

    ObjectNode toEdit = clusterRole("system:aggregate-to-edit", Map.of(AGGREGATE_TO + "edit", "true"));
    rule(toEdit, READ, List.of(""), List.of("pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets",
        "services/proxy"));
    rule(toEdit, WRITE, List.of(""), List.of("pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy",
        "configmaps", "endpoints", "persistentvolumeclaims", "secrets", "serviceaccounts", "services", "services/proxy"));
    rule(toEdit, List.of("create"), List.of(""), List.of("pods/eviction"));
    rule(toEdit, WRITE, List.of("apps"), List.of("daemonsets", "deployments", "deployments/rollback", "deployments/scale",
        "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"));
    rule(toEdit, WRITE, List.of("autoscaling"), List.of("horizontalpodautoscalers"));
    rule(toEdit, WRITE, List.of("batch"), List.of("cronjobs", "jobs"));
    rule(toEdit, WRITE, List.of("policy"), List.of("poddisruptionbudgets"));
    rule(toEdit, WRITE, List.of("networking.k8s.io"), List.of("ingresses"));
    all.add(Map.entry("ClusterRole", toEdit));

    ObjectNode toAdmin = clusterRole("system:aggregate-to-admin", Map.of(AGGREGATE_TO + "admin", "true"));
    List<String> readWrite = new ArrayList<>(READ);
    readWrite.addAll(WRITE);
    rule(toAdmin, readWrite, List.of(GROUP), List.of("rolebindings", "roles"));
    rule(toAdmin, List.of("create"), List.of("authorization.k8s.io"), List.of("localsubjectaccessreviews"));
    all.add(Map.entry("ClusterRole", toAdmin));
    return all;
  }

  /** Creates the default objects that are absent, retrying until the store answers. */
  public static CompletionStage<Void> ensure(ActorSystem<?> system, Registry registry) {
    List<CompletableFuture<Void>> all = objects().stream()
        .map(e -> ensure(system, registry, e.getKey(), e.getValue(), Duration.ofMillis(200)).toCompletableFuture())
        .toList();
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  private static CompletionStage<Void> ensure(ActorSystem<?> system, Registry registry, String kind, ObjectNode object,
      Duration backoff) {
    return registry.create(kind, null, object.deepCopy()).thenCompose(result -> {
      if (result instanceof Result.Ok || ((Result.Failed) result).status().code() == 409) {
        return CompletableFuture.completedFuture(null);
      }
      if (((Result.Failed) result).status().code() < 500) {
        // refused, not unavailable: asking again gets the same answer
        log.error("The default {} {} is refused: {}", kind, object.path("metadata").path("name").asText(),
            ((Result.Failed) result).status().message());
        return CompletableFuture.completedFuture(null);
      }
      log.info("{} {} not created yet ({}); retrying", kind, object.path("metadata").path("name").asText(),
          ((Result.Failed) result).status().message());
      Duration next = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      return Patterns.after(backoff, system.classicSystem().scheduler(), system.executionContext(),
          () -> ensure(system, registry, kind, object, next));
    });
  }

  private static ObjectNode meta(ObjectNode o, String kind, String name, Map<String, String> labels) {
    o.put("apiVersion", GROUP + "/v1").put("kind", kind);
    ObjectNode meta = o.putObject("metadata").put("name", name);
    ObjectNode l = meta.putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
    labels.forEach(l::put);
    meta.putObject("annotations").put("rbac.authorization.kubernetes.io/autoupdate", "true");
    return o;
  }

  private static ObjectNode clusterRole(String name, Map<String, String> labels) {
    ObjectNode role = meta(JsonNodeFactory.instance.objectNode(), "ClusterRole", name, labels);
    role.putArray("rules");
    return role;
  }

  /** A ClusterRole whose rules are those of the ClusterRoles labelled {@code aggregate-to-<name>}. */
  private static ObjectNode aggregated(String name, Map<String, String> labels) {
    ObjectNode role = clusterRole(name, labels);
    role.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject().putObject("matchLabels")
        .put(AGGREGATE_TO + name, "true");
    return role;
  }

  private static void rule(ObjectNode role, List<String> verbs, List<String> groups, List<String> resources) {
    ObjectNode rule = ((ArrayNode) role.get("rules")).addObject();
    verbs.forEach(rule.putArray("verbs")::add);
    groups.forEach(rule.putArray("apiGroups")::add);
    resources.forEach(rule.putArray("resources")::add);
  }

  private static void urls(ObjectNode role, List<String> verbs, List<String> urls) {
    ObjectNode rule = ((ArrayNode) role.get("rules")).addObject();
    verbs.forEach(rule.putArray("verbs")::add);
    urls.forEach(rule.putArray("nonResourceURLs")::add);
  }

  private static ObjectNode binding(String name, String role, String... groups) {
    ObjectNode b = meta(JsonNodeFactory.instance.objectNode(), "ClusterRoleBinding", name, Map.of());
    b.putObject("roleRef").put("apiGroup", GROUP).put("kind", "ClusterRole").put("name", role);
    ArrayNode subjects = b.putArray("subjects");
    for (String g : groups) subjects.addObject().put("apiGroup", GROUP).put("kind", "Group").put("name", g);
    return b;
  }
}
