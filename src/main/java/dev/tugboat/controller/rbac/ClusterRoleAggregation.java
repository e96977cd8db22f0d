package dev.tugboat.controller.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.Codec;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.Selector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules an aggregated ClusterRole should hold, as Kubernetes' clusterrole-aggregation
 * controller computes them: the rules of every other ClusterRole one of its selectors matches, in
 * the order of those roles' names, each rule once. Pure.
 */
public final class ClusterRoleAggregation {
  private ClusterRoleAggregation() {}

  /** The aggregated rules of {@code role} among {@code all}; null when {@code role} aggregates nothing. */
  public static ArrayNode rules(ObjectNode role, List<ObjectNode> all) {
    JsonNode selectors = role.path("aggregationRule").path("clusterRoleSelectors");
    if (!selectors.isArray()) return null;
    List<Selector> matchers = new ArrayList<>();
    for (JsonNode s : selectors) {
      try {
        matchers.add(LabelSelector.matcher(Codec.convert(s, LabelSelector.class)));
      } catch (RuntimeException e) {
        // validation keeps bad selectors out; one that slipped in selects nothing
      }
    }
    String self = role.path("metadata").path("name").asText();
    Set<JsonNode> rules = new LinkedHashSet<>();
    all.stream().sorted(Comparator.comparing(o -> o.path("metadata").path("name").asText()))
        .filter(o -> !o.path("metadata").path("name").asText().equals(self))
        .filter(o -> matchers.stream().anyMatch(m -> m.matches(labels(o))))
        .forEach(o -> o.path("rules").forEach(rules::add));
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    rules.forEach(out::add);
    return out;
  }

  private static Map<String, String> labels(ObjectNode o) {
    Map<String, String> labels = new java.util.HashMap<>();
    o.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }
}
