package dev.tugboat.kinds.clusterrolebinding;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.kinds.rolebinding.RoleRef;
import dev.tugboat.kinds.rolebinding.Subject;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import java.util.List;

/** A ClusterRoleBinding (rbac.authorization.k8s.io/v1, cluster-scoped): grants a ClusterRole's rules everywhere. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterRoleBinding(String apiVersion, String kind, ObjectMeta metadata, List<Subject> subjects,
    RoleRef roleRef) implements ApiObject {

  @Override
  public ClusterRoleBinding withMetadata(ObjectMeta metadata) {
    return new ClusterRoleBinding(apiVersion, kind, metadata, subjects, roleRef);
  }
}
