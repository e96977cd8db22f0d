package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A reference to another object (an Event's involvedObject, an endpoint's targetRef). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectReference(String kind, String namespace, String name, String uid, String apiVersion,
    String resourceVersion, String fieldPath) {}
