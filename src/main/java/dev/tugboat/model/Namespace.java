package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A Namespace: a scope for names. Deleting it deletes what it holds. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Namespace(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
    implements ApiObject {

  @Override
  public Namespace withMetadata(ObjectMeta metadata) {
    return new Namespace(apiVersion, kind, metadata, spec, status);
  }

  public Namespace withSpec(Spec spec) {
    return new Namespace(apiVersion, kind, metadata, spec, status);
  }

  public Namespace withStatus(Status status) {
    return new Namespace(apiVersion, kind, metadata, spec, status);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(List<String> finalizers) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(String phase) {}
}
