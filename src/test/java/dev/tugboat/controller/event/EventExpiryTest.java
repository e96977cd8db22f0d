package dev.tugboat.controller.event;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventExpiryTest {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  private static ObjectNode event(String created, String last) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    e.putObject("metadata").put("creationTimestamp", created);
    if (last != null) e.put("lastTimestamp", last);
    return e;
  }

  @Test
  void anEventExpiresAnHourAfterItsNewestTime() {
    assertTrue(EventExpiry.expired(event("2026-12-04T10:00:00Z", "2026-12-04T10:30:00Z"), NOW, HOUR));
    assertFalse(EventExpiry.expired(event("2026-12-04T10:00:00Z", "2026-12-04T11:30:00Z"), NOW, HOUR), "seen again recently");
    assertFalse(EventExpiry.expired(event("2026-12-04T11:30:00Z", "2026-12-04T09:00:00Z"), NOW, HOUR),
        "written recently with an old lastTimestamp: the TTL runs from the write, as etcd's lease");
    ObjectNode series = event("2026-12-04T09:00:00Z", null);
    series.put("eventTime", "2026-12-04T09:00:00.000000Z");
    series.putObject("series").put("lastObservedTime", "2026-12-04T11:59:00.000000Z");
    assertFalse(EventExpiry.expired(series, NOW, HOUR), "an events.k8s.io series observed a minute ago");
  }

  @Test
  void anEventWithoutAnyReadableTimeIsKept() {
    assertFalse(EventExpiry.expired(event("", "not a time"), NOW, HOUR));
  }
}
