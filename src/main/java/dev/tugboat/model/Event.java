package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A core/v1 Event: something that happened to an object, shown by {@code describe}. {@code eventTime}
 * is a string because it is a MicroTime ({@code 2026-11-23T01:04:00.123456Z}) that must round-trip as
 * written.
 */
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
    Series series,
    String reportingComponent,
    String reportingInstance,
    String action,
    ObjectReference related) implements ApiObject {

  @Override
  public Event withMetadata(ObjectMeta metadata) {
    return new Event(apiVersion, kind, metadata, involvedObject, reason, message, source, firstTimestamp, lastTimestamp,
        count, type, eventTime, series, reportingComponent, reportingInstance, action, related);
  }

  /** The same event seen again: one more in {@code count}, at {@code now}. */
  public Event recurred(Instant now) {
    return new Event(apiVersion, kind, metadata, involvedObject, reason, message, source, firstTimestamp, now,
        count == null ? 2 : count + 1, type, eventTime, series, reportingComponent, reportingInstance, action, related);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Source(String component, String host) {}

  /** Newer clients report repeats here instead of in {@code count}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Series(Integer count, String lastObservedTime) {}
}
