package dev.tugboat.controller.hpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.ScaleSubresource;
import dev.tugboat.model.Codec;
import org.junit.jupiter.api.Test;

/** Where the controller finds a target's pods: the selector its scale subresource shows. */
class HorizontalPodAutoscalerControllerTest {
  private static ObjectNode json(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), false, false);
  }

  @Test
  void builtInKindsSelectByTheirSpecSelector() {
    ObjectNode deployment = json("""
        {"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"},
          "matchExpressions":[{"key":"tier","operator":"In","values":["a","b"]}]}}}""");
    assertEquals("app=web,tier in (a,b)", HorizontalPodAutoscalerController.selector(deployment, ScaleSubresource.REPLICAS));
    assertNull(HorizontalPodAutoscalerController.selector(json("{\"spec\":{\"replicas\":2}}"), ScaleSubresource.REPLICAS));
  }

  @Test
  void customKindsSelectByTheirLabelSelectorPath() {
    ScaleSubresource crd = new ScaleSubresource(".spec.size", ".status.size", ".status.selector");
    assertEquals("app=cache", HorizontalPodAutoscalerController.selector(
        json("{\"spec\":{\"size\":1},\"status\":{\"selector\":\"app=cache\"}}"), crd));
    assertNull(HorizontalPodAutoscalerController.selector(json("{\"spec\":{\"size\":1}}"), crd),
        "no selector yet: the HPA says InvalidSelector");
  }
}
