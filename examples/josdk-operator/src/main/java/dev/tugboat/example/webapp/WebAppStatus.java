package dev.tugboat.example.webapp;

import java.util.List;

/**
 * What the operator observed: the Deployment's ready replicas, the generation it last reconciled,
 * and one {@code Ready} condition, as Kubernetes' own controllers report theirs.
 */
public record WebAppStatus(Integer readyReplicas, Long observedGeneration, List<Condition> conditions) {
  /** A Kubernetes-style condition. */
  public record Condition(String type, String status, String reason, String message) {}
}
