package dev.tugboat.kinds.resourcequota;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.Quantity;
import java.util.List;
import java.util.Map;

/**
 * A ResourceQuota (core v1): the most a namespace may hold of each resource ({@code spec.hard}),
 * optionally only for the pods of some scopes; {@code status} is what is enforced ({@code hard},
 * copied from the spec by the quota controller) and what is used.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceQuota(String apiVersion, String kind, ObjectMeta metadata, Spec spec, QuotaStatus status)
    implements ApiObject {

  /** What is limited, and for which pods (scopes and a scope selector, ANDed). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(Map<String, Quantity> hard, List<String> scopes, ScopeSelector scopeSelector) {}

  /** Requirements on scopes, all of which a pod must meet. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ScopeSelector(List<ScopedRequirement> matchExpressions) {}

  /** One requirement: a scope, an operator (In, NotIn, Exists, DoesNotExist) and values for In and NotIn. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ScopedRequirement(String scopeName, String operator, List<String> values) {}

  /** The limits enforced now and what the namespace uses of them. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record QuotaStatus(Map<String, Quantity> hard, Map<String, Quantity> used) {}

  @Override
  public ResourceQuota withMetadata(ObjectMeta metadata) {
    return new ResourceQuota(apiVersion, kind, metadata, spec, status);
  }
}
