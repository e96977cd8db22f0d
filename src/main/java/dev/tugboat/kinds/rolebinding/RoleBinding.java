package dev.tugboat.kinds.rolebinding;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import java.util.List;

/**
 * A RoleBinding (rbac.authorization.k8s.io/v1, namespaced): grants the rules of a Role of its
 * namespace, or of a ClusterRole limited to its namespace, to its subjects.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoleBinding(String apiVersion, String kind, ObjectMeta metadata, List<Subject> subjects, RoleRef roleRef)
    implements ApiObject {

  @Override
  public RoleBinding withMetadata(ObjectMeta metadata) {
    return new RoleBinding(apiVersion, kind, metadata, subjects, roleRef);
  }
}
