package dev.tugboat.kinds.rolebinding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.clusterrolebinding.ClusterRoleBindingStrategy;
import dev.tugboat.model.Codec;
import org.junit.jupiter.api.Test;

/** RoleBindings and ClusterRoleBindings: defaults, Kubernetes' validation (422 naming fields), roleRef immutable. */
class RoleBindingStrategyTest {
  private final RoleBindingStrategy bindings = new RoleBindingStrategy();
  private final ClusterRoleBindingStrategy clusterBindings = new ClusterRoleBindingStrategy();

  private static ObjectNode json(String text) {
    return (ObjectNode) Codec.parseTree(text.replace('\'', '"').getBytes(), false);
  }

  private static final String REF = "'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'Role','name':'r'}";

  @Test
  void subjectsGetTheirApiGroup() {
    var admitted = bindings.admitCreate(json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'RoleBinding',"
        + "'metadata':{'name':'b','namespace':'ns'}," + REF + ",'subjects':[{'kind':'User','name':'alice'},"
        + "{'kind':'ServiceAccount','name':'builder'}]}"));
    assertNull(admitted.failure());
    assertEquals("rbac.authorization.k8s.io", admitted.object().at("/subjects/0/apiGroup").asText());
    assertTrue(admitted.object().at("/subjects/1/apiGroup").isMissingNode());
  }

  @Test
  void badBindingsAre422NamingEachField() {
    var refused = bindings.admitCreate(json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'RoleBinding',"
        + "'metadata':{'name':'b','namespace':'ns'},'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'Pod'},"
        + "'subjects':[{'kind':'Robot','name':'r2'},{'kind':'User'}]}"));
    assertNotNull(refused.failure());
    assertEquals(422, refused.failure().code());
    String message = refused.failure().message();
    assertTrue(message.contains("roleRef.kind: Unsupported value: \"Pod\""), message);
    assertTrue(message.contains("roleRef.name: Required value"), message);
    assertTrue(message.contains("subjects[0].kind: Unsupported value: \"Robot\""), message);
    assertTrue(message.contains("subjects[1].name: Required value"), message);
  }

  @Test
  void aClusterRoleBindingBindsClusterRolesOnlyAndItsServiceAccountsNameANamespace() {
    var refused = clusterBindings.admitCreate(json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'ClusterRoleBinding',"
        + "'metadata':{'name':'b'}," + REF + ",'subjects':[{'kind':'ServiceAccount','name':'builder'}]}"));
    String message = refused.failure().message();
    assertTrue(message.contains("roleRef.kind: Unsupported value: \"Role\""), message);
    assertTrue(message.contains("subjects[0].namespace: Required value"), message);
  }

  @Test
  void theRoleRefNeverChanges() {
    ObjectNode current = bindings.admitCreate(json("{'apiVersion':'rbac.authorization.k8s.io/v1','kind':'RoleBinding',"
        + "'metadata':{'name':'b','namespace':'ns'}," + REF + "}")).object();
    ObjectNode changed = current.deepCopy();
    ((ObjectNode) changed.get("roleRef")).put("name", "other");
    var refused = bindings.admitUpdate(current, changed);
    assertEquals(422, refused.failure().code());
    assertTrue(refused.failure().message().contains("roleRef: Invalid value"), refused.failure().message());
    assertTrue(refused.failure().message().contains("cannot change roleRef"), refused.failure().message());
    ObjectNode moreSubjects = current.deepCopy();
    moreSubjects.putArray("subjects").addObject().put("kind", "Group").put("name", "dev");
    assertNull(bindings.admitUpdate(current, moreSubjects).failure());
  }
}
