package dev.tugboat.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.registry.Informer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of a controller's objects an orphan's change wakes. */
class SelectorsTest {
  private static ObjectNode object(String namespace, String name, String selectorAndLabels) {
    return (ObjectNode) Codec.parseTree(("""
        {"metadata":{"namespace":"%s","name":"%s"%s}}""").formatted(namespace, name, selectorAndLabels).getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
  }

  private static ObjectNode replicaSet(String namespace, String name, String app) {
    return object(namespace, name, "},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"" + app + "\"}}");
  }

  private static ObjectNode pod(String namespace, String app) {
    return object(namespace, "p", ",\"labels\":{\"app\":\"" + app + "\",\"extra\":\"x\"}");
  }

  @Test
  void anOrphanWakesTheObjectsOfItsNamespaceWhoseSelectorMatchesIt() {
    Selectors selectors = new Selectors("ReplicaSet");
    selectors.observe(new Informer.Added("ReplicaSet", replicaSet("a", "web", "web")));
    selectors.observe(new Informer.Added("ReplicaSet", replicaSet("a", "db", "db")));
    selectors.observe(new Informer.Added("ReplicaSet", replicaSet("b", "web", "web")));
    assertEquals(List.of("a/web"), selectors.matching(pod("a", "web")));
    assertEquals(List.of(), selectors.matching(pod("c", "web")));

    selectors.observe(new Informer.Deleted("ReplicaSet", replicaSet("a", "web", "web")));
    assertEquals(List.of(), selectors.matching(pod("a", "web")), "deleted: forgotten");
    selectors.observe(new Informer.Modified("ReplicaSet", replicaSet("a", "db", "db"), replicaSet("a", "db", "web")));
    assertEquals(List.of("a/db"), selectors.matching(pod("a", "web")), "its selector changed");
  }
}
