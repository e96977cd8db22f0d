package dev.tugboat.kinds.rolebinding;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The role a binding grants: a Role of the binding's namespace or a ClusterRole. Immutable once created. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoleRef(String apiGroup, String kind, String name) {}
