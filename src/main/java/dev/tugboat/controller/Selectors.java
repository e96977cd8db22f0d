package dev.tugboat.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.Selector;
import dev.tugboat.registry.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The label selectors of a controller's own objects (ReplicaSets, Deployments), kept from its watch:
 * which of them an object without a controller could be adopted by, so that its change wakes them,
 * as kube-controller-manager's getPodReplicaSets does, rather than a resync finding it later.
 */
public final class Selectors {
  /** namespace -> key -> selector */
  private final Map<String, Map<String, Selector>> byNamespace = new ConcurrentHashMap<>();

  /** Takes in a change of one of the controller's objects. */
  public void observe(WatchEvent event) {
    ObjectNode object = event.object();
    String namespace = Meta.namespace(object);
    String key = ControllerLoop.key(object);
    if (event.type().equals("DELETED") || object.path("metadata").has("deletionTimestamp")) {
      forget(namespace, key);
      return;
    }
    Selector selector;
    try {
      selector = LabelSelector.matcher(Codec.convert(object.path("spec").path("selector"), LabelSelector.class));
    } catch (RuntimeException invalid) {
      forget(namespace, key); // admission refuses such selectors; nothing to match with
      return;
    }
    byNamespace.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>()).put(key, selector);
  }

  /** The keys of the objects in {@code namespace} whose selector matches {@code object}'s labels. */
  public List<String> matching(ObjectNode object) {
    Map<String, Selector> selectors = byNamespace.get(Meta.namespace(object));
    if (selectors == null) return List.of();
    Map<String, String> labels = Meta.labels(object);
    List<String> keys = new ArrayList<>();
    selectors.forEach((key, selector) -> {
      if (selector.matches(labels)) keys.add(key);
    });
    return keys;
  }

  private void forget(String namespace, String key) {
    Map<String, Selector> selectors = byNamespace.get(namespace);
    if (selectors != null) selectors.remove(key);
  }
}
