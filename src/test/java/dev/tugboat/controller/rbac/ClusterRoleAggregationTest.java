package dev.tugboat.controller.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.registry.RbacDefaults;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default roles aggregate as Kubernetes': view into edit, edit into admin, a labelled role into all it names. */
class ClusterRoleAggregationTest {

  private static List<ObjectNode> defaults() {
    return RbacDefaults.objects().stream().filter(e -> e.getKey().equals("ClusterRole")).map(e -> e.getValue()).toList();
  }

  private static ObjectNode named(List<ObjectNode> roles, String name) {
    return roles.stream().filter(r -> r.at("/metadata/name").asText().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aggregatesTheLabelledRolesRules() {
    List<ObjectNode> roles = new java.util.ArrayList<>(defaults());
    ObjectNode view = named(roles, "view");
    assertEquals(named(roles, "system:aggregate-to-view").get("rules"), ClusterRoleAggregation.rules(view, roles));
    assertNull(ClusterRoleAggregation.rules(named(roles, "cluster-admin"), roles));
    // a CRD author's role, labelled for admin, joins admin and nothing else
    ObjectNode crontabs = (ObjectNode) dev.tugboat.model.Codec.parseTree(("{\"metadata\":{\"name\":\"crontabs-admin\","
        + "\"labels\":{\"rbac.authorization.k8s.io/aggregate-to-admin\":\"true\"}},\"rules\":[{\"verbs\":[\"*\"],"
        + "\"apiGroups\":[\"stable.example.com\"],\"resources\":[\"crontabs\"]}]}").getBytes(), false);
    roles.add(crontabs);
    var admin = ClusterRoleAggregation.rules(named(roles, "admin"), roles);
    assertEquals(true, admin.toString().contains("crontabs"));
    assertEquals(false, ClusterRoleAggregation.rules(named(roles, "edit"), roles).toString().contains("crontabs"));
  }
}
