package dev.tugboat.kinds.limitrange;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tugboat.model.ApiObject;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A LimitRange (core v1): per Container, Pod or PersistentVolumeClaim of its namespace, the least and
 * most of each resource, the largest limit-to-request ratio, and the requests and limits a container
 * gets when it names none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LimitRange(String apiVersion, String kind, ObjectMeta metadata, Spec spec) implements ApiObject {
  public static final List<String> TYPES = List.of("Pod", "Container", "PersistentVolumeClaim");

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Spec(List<Item> limits) {}

  /** One type's limits; {@code default} is the default limit. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(String type, Map<String, Quantity> max, Map<String, Quantity> min,
      @JsonProperty("default") Map<String, Quantity> defaultLimit, Map<String, Quantity> defaultRequest,
      Map<String, Quantity> maxLimitRequestRatio) {

    /**
     * Kubernetes' defaults of a Container item: the default limit is the max where none is given,
     * the default request the default limit, else the min.
     */
    Item withDefaults() {
      if (!"Container".equals(type)) return this;
      Map<String, Quantity> limit = new LinkedHashMap<>(defaultLimit == null ? Map.of() : defaultLimit);
      if (max != null) max.forEach(limit::putIfAbsent);
      Map<String, Quantity> request = new LinkedHashMap<>(defaultRequest == null ? Map.of() : defaultRequest);
      limit.forEach(request::putIfAbsent);
      if (min != null) min.forEach(request::putIfAbsent);
      return new Item(type, max, min, limit.isEmpty() ? null : limit, request.isEmpty() ? null : request,
          maxLimitRequestRatio);
    }
  }

  LimitRange withSpec(Spec spec) {
    return new LimitRange(apiVersion, kind, metadata, spec);
  }

  @Override
  public LimitRange withMetadata(ObjectMeta metadata) {
    return new LimitRange(apiVersion, kind, metadata, spec);
  }
}
