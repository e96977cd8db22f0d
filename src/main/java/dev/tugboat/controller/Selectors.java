package dev.tugboat.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.Selector;
import dev.tugboat.registry.Informer;
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
  private final String primaryKind;
  /** namespace -> key -> selector */
  private final Map<String, Map<String, Selector>> byNamespace = new ConcurrentHashMap<>();

  /** @param primaryKind the kind of the controller's own objects (which own, and select, the others) */
  public Selectors(String primaryKind) {
    this.primaryKind = primaryKind;
  }

  /**
   * The keys a change concerns, for {@link ControllerLoop.Reconciler#keysFor}: one of the controller's
   * own objects is its own key (and its selector is kept); a dependent is its controller's key, or,
   * without a controller, the keys of those that may adopt it.
   */
  public List<String> keysFor(Informer.ObjectEvent change) {
    ObjectNode object = change.object();
    if (change.kind().equals(primaryKind)) {
      observe(change);
      return List.of(ControllerLoop.key(object));
    }
    return Meta.controllerUid(object) == null ? matching(object) : ControllerLoop.ownerKey(object, primaryKind);
  }

  /** Takes in a change of one of the controller's objects. */
  void observe(Informer.ObjectEvent change) {
    ObjectNode object = change.object();
    String namespace = Meta.namespace(object);
    String key = ControllerLoop.key(object);
    if (change instanceof Informer.Deleted || object.path("metadata").has("deletionTimestamp")) {
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
  List<String> matching(ObjectNode object) {
    Map<String, Selector> selectors = byNamespace.get(Meta.namespace(object));
    if (selectors == null) return List.of();
    Map<String, String> labels = Meta.labels(object);
    List<String> keys = new ArrayList<>();
    selectors.forEach((key, selector) -> {
      if (selector.matches(labels)) keys.add(key);
    });
    return keys;
  }

  /** Every key the controller knows of: what a change that concerns all of them (a node's) wakes. */
  public List<String> allKeys() {
    List<String> keys = new ArrayList<>();
    byNamespace.values().forEach(selectors -> keys.addAll(selectors.keySet()));
    return keys;
  }

  private void forget(String namespace, String key) {
    Map<String, Selector> selectors = byNamespace.get(namespace);
    if (selectors != null) selectors.remove(key);
  }
}
