package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A persisted change of one object, as published by its entity to every member's watch index.
 *
 * @param key {@code namespace/name} or {@code name} for cluster-scoped kinds
 * @param object the object after the change (its last state when {@code deleted})
 * @param resourceVersion the object's resourceVersion after the change
 */
public record Change(String kind, String key, ObjectNode object, long resourceVersion, boolean deleted)
    implements CborSerializable {}
