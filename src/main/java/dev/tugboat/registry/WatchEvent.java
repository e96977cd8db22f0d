package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One event of a watch: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR, as Kubernetes sends them. */
public record WatchEvent(String type, ObjectNode object) {}
