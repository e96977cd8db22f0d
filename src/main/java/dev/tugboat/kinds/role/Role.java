package dev.tugboat.kinds.role;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import java.util.List;

/** A Role (rbac.authorization.k8s.io/v1, namespaced): rules that a RoleBinding grants in its namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Role(String apiVersion, String kind, ObjectMeta metadata, List<PolicyRule> rules) implements ApiObject {
  public static final String GROUP = "rbac.authorization.k8s.io";

  @Override
  public Role withMetadata(ObjectMeta metadata) {
    return new Role(apiVersion, kind, metadata, rules);
  }
}
