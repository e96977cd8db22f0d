package dev.tugboat.example.webapp;

/**
 * What the user asks for: the container image, how many replicas, and the message the ConfigMap
 * carries (the pods mount it; a change of message is a change the operator must roll out).
 */
public record WebAppSpec(String image, Integer replicas, String message) {}
