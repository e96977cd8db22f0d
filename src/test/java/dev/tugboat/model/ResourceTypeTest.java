package dev.tugboat.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceTypeTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "pods, Pod", "pod, Pod", "po, Pod", "Pods, Pod", "PO, Pod", "svc, Service", "services, Service",
      "deploy, Deployment", "deployments.apps, Deployment", "deployment.apps, Deployment", "Deployment, Deployment",
      "deployments.v1.apps, Deployment", "rs, ReplicaSet", "replicasets.apps, ReplicaSet", "ns, Namespace",
      "no, Node", "nodes, Node", "ep, Endpoints", "endpoints, Endpoints", "ev, Event", "events, Event"})
  void aUserMayNameAKindAnyWayKubectlAccepts(String name, String kind) {
    assertEquals(kind, ResourceType.byName(name).orElseThrow().kind());
  }

  @ParameterizedTest
  @ValueSource(strings = {"widgets", "deployments.extensions", "pods.apps", "", "deploymentz"})
  void unknownNamesAreEmpty(String name) {
    assertTrue(ResourceType.byName(name).isEmpty(), name);
  }

  @Test
  void lookupsByKindPluralAndListKind() {
    ResourceType d = ResourceType.byKind("apps/v1", "Deployment").orElseThrow();
    assertEquals("apps", d.group());
    assertEquals("DeploymentList", d.listKind());
    assertEquals("deployments.apps", d.qualifiedName());
    assertEquals(Deployment.class, d.javaClass());
    assertTrue(ResourceType.byKind("v1", "Deployment").isEmpty(), "Deployment is not in the core group");
    assertEquals(d, ResourceType.byPlural("apps", "deployments").orElseThrow());
    assertEquals(d, ResourceType.byPlural("apps", "v1", "deployments").orElseThrow());
    assertEquals(d, ResourceType.byListKind("apps/v1", "DeploymentList").orElseThrow());
    assertEquals("v1", ResourceType.byPlural("", "pods").orElseThrow().apiVersion());
    assertTrue(ResourceType.byPlural("", "deployments").isEmpty());
  }

  @Test
  void theTableIsConsistent() {
    java.util.Map<String, String> names = new java.util.HashMap<>();
    for (ResourceType t : ResourceType.all()) {
      // A type may use a name twice (Endpoints is plural and singular) but no two kinds share one;
      // a kind served at two versions (HorizontalPodAutoscaler, v2 and v1) has the same names at both.
      String kind = t.group() + "/" + t.kind();
      for (String n : new HashSet<>(concat(List.of(t.plural(), t.singular()), t.shortNames()))) {
        String before = names.putIfAbsent(n, kind);
        assertTrue(before == null || before.equals(kind), "one meaning per name: " + n);
      }
      // A kind without a record is kept as its JSON tree (CustomResourceDefinition, custom kinds).
      if (t.javaClass() != null) assertEquals(t.kind(), t.javaClass().getSimpleName());
    }
    for (String kind : List.of("Pod", "Service", "Deployment", "ReplicaSet")) {
      assertEquals(List.of("all"), ResourceType.byKind(kind).orElseThrow().categories(), kind);
    }
    assertFalse(ResourceType.byKind("Namespace").orElseThrow().namespaced());
    assertFalse(ResourceType.byKind("Node").orElseThrow().namespaced());
    assertTrue(ResourceType.byKind("Event").orElseThrow().namespaced());
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
