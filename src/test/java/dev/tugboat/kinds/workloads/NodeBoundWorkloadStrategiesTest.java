package dev.tugboat.kinds.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.kinds.controllerrevision.ControllerRevisionStrategy;
import dev.tugboat.kinds.daemonset.DaemonSetStrategy;
import dev.tugboat.kinds.statefulset.StatefulSetStrategy;
import dev.tugboat.model.Codec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DaemonSets', StatefulSets' and ControllerRevisions' defaults and rules, through their strategies. */
class NodeBoundWorkloadStrategiesTest {
  private static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true, false);
  }

  private static final String TEMPLATE = """
        selector: {matchLabels: {app: a}}
        template:
          metadata: {labels: {app: a}}
          spec: {containers: [{name: c, image: busybox}]}
      """;

  private static ObjectNode daemonSet(String extra) {
    return yaml("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: default}\nspec:\n" + TEMPLATE + extra);
  }

  private static ObjectNode statefulSet(String extra) {
    return yaml("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web, namespace: default}\nspec:\n" + TEMPLATE + extra);
  }

  private static List<String> fields(Admission a) {
    assertNotNull(a.failure(), "refused");
    assertEquals(422, a.failure().code());
    return a.failure().details().causes().stream().map(c -> c.field()).toList();
  }

  @Test
  void daemonSetDefaults() {
    Admission a = new DaemonSetStrategy().admitCreate(daemonSet(""));
    assertNull(a.failure(), () -> String.valueOf(a.failure()));
    ObjectNode ds = a.object();
    assertEquals("RollingUpdate", ds.at("/spec/updateStrategy/type").asText());
    assertEquals(1, ds.at("/spec/updateStrategy/rollingUpdate/maxUnavailable").asInt());
    assertEquals(0, ds.at("/spec/updateStrategy/rollingUpdate/maxSurge").asInt());
    assertEquals(10, ds.at("/spec/revisionHistoryLimit").asInt());
    assertEquals("Always", ds.at("/spec/template/spec/restartPolicy").asText());
  }

  @Test
  void daemonSetRules() {
    assertEquals(List.of("spec.updateStrategy.rollingUpdate.maxUnavailable"), fields(new DaemonSetStrategy().admitCreate(
        daemonSet("  updateStrategy: {rollingUpdate: {maxUnavailable: 0, maxSurge: 0}}\n"))));
    assertEquals(List.of("spec.updateStrategy.type"), fields(new DaemonSetStrategy().admitCreate(
        daemonSet("  updateStrategy: {type: Recreate}\n"))));
    assertEquals(List.of("spec.updateStrategy.rollingUpdate"), fields(new DaemonSetStrategy().admitCreate(
        daemonSet("  updateStrategy: {type: OnDelete, rollingUpdate: {maxUnavailable: 1}}\n"))));
    ObjectNode restarts = daemonSet("");
    restarts.with("spec").with("template").with("spec").put("restartPolicy", "Never");
    assertEquals(List.of("spec.template.spec.restartPolicy"), fields(new DaemonSetStrategy().admitCreate(restarts)));
    ObjectNode current = new DaemonSetStrategy().admitCreate(daemonSet("")).object();
    ObjectNode moved = current.deepCopy();
    moved.with("spec").with("selector").with("matchLabels").put("app", "b");
    moved.with("spec").with("template").with("metadata").with("labels").put("app", "b");
    assertTrue(fields(new DaemonSetStrategy().admitUpdate(current, moved)).contains("spec.selector"));
  }

  @Test
  void statefulSetDefaultsAndRules() {
    StatefulSetStrategy strategy = new StatefulSetStrategy();
    ObjectNode sts = strategy.admitCreate(statefulSet("")).object();
    assertNotNull(sts);
    assertEquals(1, sts.at("/spec/replicas").asInt());
    assertEquals("OrderedReady", sts.at("/spec/podManagementPolicy").asText());
    assertEquals(0, sts.at("/spec/updateStrategy/rollingUpdate/partition").asInt());
    assertEquals("Retain", sts.at("/spec/persistentVolumeClaimRetentionPolicy/whenDeleted").asText());
    assertEquals(List.of("spec.podManagementPolicy"), fields(strategy.admitCreate(statefulSet("  podManagementPolicy: Sometimes\n"))));
    assertEquals(List.of("spec.volumeClaimTemplates[0].spec.resources.requests.storage",
        "spec.volumeClaimTemplates[1].metadata.name"), fields(strategy.admitCreate(statefulSet("""
          volumeClaimTemplates:
          - metadata: {name: data}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 12 apples}}}
          - metadata: {name: data}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """))));
    assertEquals(List.of("spec.persistentVolumeClaimRetentionPolicy.whenScaled"), fields(strategy.admitCreate(
        statefulSet("  persistentVolumeClaimRetentionPolicy: {whenScaled: Shred}\n"))));
    // replicas, template and updateStrategy may change; serviceName may not
    ObjectNode changed = sts.deepCopy();
    changed.with("spec").put("replicas", 5).with("updateStrategy").with("rollingUpdate").put("partition", 2);
    assertNull(strategy.admitUpdate(sts, changed).failure());
    changed.with("spec").put("serviceName", "other");
    assertEquals(List.of("spec.serviceName"), fields(strategy.admitUpdate(sts, changed)));
  }

  @Test
  void aStatefulSetsMountsMayNameItsClaimTemplates() {
    ObjectNode sts = statefulSet("""
          volumeClaimTemplates:
          - metadata: {name: data}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """);
    ((ObjectNode) sts.at("/spec/template/spec/containers/0")).putArray("volumeMounts").addObject()
        .put("name", "data").put("mountPath", "/data");
    assertNull(new StatefulSetStrategy().admitCreate(sts).failure());
    ((ObjectNode) sts.at("/spec/template/spec/containers/0/volumeMounts/0")).put("name", "nothing");
    assertEquals(List.of("spec.template.spec.containers[0].volumeMounts[0].name"),
        fields(new StatefulSetStrategy().admitCreate(sts)));
  }

  @Test
  void controllerRevisionDataNeverChanges() {
    ControllerRevisionStrategy strategy = new ControllerRevisionStrategy();
    ObjectNode r = yaml("apiVersion: apps/v1\nkind: ControllerRevision\nmetadata: {name: a-1, namespace: default}\n"
        + "data: {spec: {template: {x: 1}}}\nrevision: 1\n");
    ObjectNode stored = strategy.admitCreate(r).object();
    assertNotNull(stored);
    ObjectNode renumbered = stored.deepCopy().put("revision", 3);
    assertNull(strategy.admitUpdate(stored, renumbered).failure());
    ObjectNode rewritten = stored.deepCopy();
    rewritten.with("data").put("other", true);
    assertEquals(List.of("data"), fields(strategy.admitUpdate(stored, rewritten)));
    assertEquals(List.of("revision"), fields(strategy.admitCreate(r.deepCopy().put("revision", -1))));
  }
}
