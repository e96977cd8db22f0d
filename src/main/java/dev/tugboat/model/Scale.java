package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code autoscaling/v1 Scale}: the {@code scale} subresource of Deployments and ReplicaSets, which
 * {@code kubectl scale} reads and patches. {@code status.selector} is the label selector's string form.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Scale(String apiVersion, String kind, ObjectMeta metadata, Spec spec, Status status)
    implements ApiObject {

  public static final String API_VERSION = "autoscaling/v1";
  public static final String KIND = "Scale";

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(Integer replicas) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(Integer replicas, String selector) {}

  /** The Scale of a Deployment: desired replicas from its spec, observed ones from its status. */
  public static Scale of(Deployment d) {
    return of(d.metadata(), d.spec() == null ? null : d.spec().replicas(),
        d.status() == null ? null : d.status().replicas(), d.spec() == null ? null : d.spec().selector());
  }

  public static Scale of(ReplicaSet r) {
    return of(r.metadata(), r.spec() == null ? null : r.spec().replicas(),
        r.status() == null ? null : r.status().replicas(), r.spec() == null ? null : r.spec().selector());
  }

  private static Scale of(ObjectMeta source, Integer desired, Integer observed, LabelSelector selector) {
    // Scale carries the owner's identity (so a PUT can be checked against its resourceVersion), not its labels.
    ObjectMeta meta = source == null ? null : new ObjectMeta(source.name(), null, source.namespace(), source.uid(),
        source.resourceVersion(), null, source.creationTimestamp(), null, null, null, null, null, null);
    return new Scale(API_VERSION, KIND, meta, new Spec(desired == null ? 0 : desired),
        new Status(observed == null ? 0 : observed, selector == null ? null : selector.toString()));
  }

  @Override
  public Scale withMetadata(ObjectMeta metadata) {
    return new Scale(apiVersion, kind, metadata, spec, status);
  }

  public Scale withSpec(Spec spec) {
    return new Scale(apiVersion, kind, metadata, spec, status);
  }
}
