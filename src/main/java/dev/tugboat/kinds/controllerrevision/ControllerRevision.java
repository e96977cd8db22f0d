package dev.tugboat.kinds.controllerrevision;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;

/**
 * A ControllerRevision (apps/v1): one revision of a controller's template, as DaemonSets and
 * StatefulSets keep their history. {@code data} is what brings the controller back to it (a patch
 * of its spec, which {@code kubectl rollout undo} applies); it never changes once written.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControllerRevision(String apiVersion, String kind, ObjectMeta metadata, JsonNode data, Long revision)
    implements ApiObject {

  /** The label of a revision, and of the pods made from it, that names its template's hash. */
  public static final String HASH_LABEL = "controller-revision-hash";

  @Override
  public ControllerRevision withMetadata(ObjectMeta metadata) {
    return new ControllerRevision(apiVersion, kind, metadata, data, revision);
  }
}
