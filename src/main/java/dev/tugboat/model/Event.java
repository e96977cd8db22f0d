package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** A core/v1 Event: something that happened to an object, shown by {@code describe}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(
    String apiVersion,
    String kind,
    ObjectMeta metadata,
    ObjectReference involvedObject,
    String reason,
    String message,
    Source source,
    Instant firstTimestamp,
    Instant lastTimestamp,
    Integer count,
    String type,
    String eventTime,
    String reportingComponent,
    String reportingInstance,
    String action,
    ObjectReference related) implements ApiObject {

  @Override
  public Event withMetadata(ObjectMeta metadata) {
    return new Event(apiVersion, kind, metadata, involvedObject, reason, message, source, firstTimestamp, lastTimestamp,
        count, type, eventTime, reportingComponent, reportingInstance, action, related);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Source(String component, String host) {}
}
