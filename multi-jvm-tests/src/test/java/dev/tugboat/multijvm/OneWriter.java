package dev.tugboat.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.testing.Api;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What "one writer per object" looks like from outside, read from the journal itself and the API:
 * every acknowledged write is in its object's history, and no object ever had two incarnations
 * writing at once.
 */
final class OneWriter {
  private OneWriter() {}

  /**
   * Every write {@code load} saw acknowledged is in its object's persisted history (by the
   * resourceVersion it answered), read through {@code api}; returns how many were checked.
   */
  static int nothingAcknowledgedLost(Api api, WriteLoad load) {
    Map<String, Set<String>> acknowledged = new TreeMap<>();
    load.acks().forEach(a -> acknowledged.computeIfAbsent(a.object(), k -> new HashSet<>()).add(a.resourceVersion()));
    List<String> lost = new ArrayList<>();
    acknowledged.forEach((name, versions) -> {
      Api.Reply history = api.get(WriteLoad.CONFIGMAPS + "/" + name + "/history");
      assertEquals(200, history.code(), history.body());
      Set<String> persisted = new HashSet<>();
      for (JsonNode item : history.json().path("items")) persisted.add(item.path("resourceVersion").asText());
      versions.stream().filter(v -> !persisted.contains(v)).forEach(v -> lost.add(name + "@" + v));
    });
    assertTrue(lost.isEmpty(), "acknowledged writes missing from the journal: " + lost);
    return acknowledged.values().stream().mapToInt(Set::size).sum();
  }

  /**
   * Every object's journal rows, in the order their writers issued them (each row's timestamp is
   * taken by its writer): the writers (each entity incarnation has its own writer uuid) come one
   * after another, never interleaved, so no two incarnations ever wrote at once. A sequence number
   * may be written twice only at a handover, by the old writer's last write and the new writer's
   * first: a write the old writer issued in time but that reached Cassandra only after the
   * takeover (its process froze in between). Recovery's replay filter keeps the new writer's, and
   * the old one was never acknowledged ({@link #nothingAcknowledgedLost} checks that part).
   * Returns every change of writer it saw.
   */
  static List<Handover> oneIncarnationAtATime(CqlSession cql, String keyspace, List<String> objects) {
    List<Handover> handovers = new ArrayList<>();
    for (String name : objects) {
      String pid = "ConfigMap|default/" + name;
      List<Row> rows = new ArrayList<>(cql.execute("SELECT sequence_nr, writer_uuid, timestamp FROM " + keyspace
          + ".messages WHERE persistence_id = ? AND partition_nr = 0", pid).all());
      assertTrue(!rows.isEmpty(), pid + " has journal rows");
      rows.sort(java.util.Comparator.comparing(r -> r.getUuid("timestamp").timestamp()));
      String writer = null;
      long writerLast = 0;
      long writerLastSeq = 0;
      Set<String> finished = new HashSet<>();
      Set<Long> seen = new HashSet<>();
      for (Row row : rows) {
        long seq = row.getLong("sequence_nr");
        String uuid = row.getString("writer_uuid");
        long time = Uuids.unixTimestamp(row.getUuid("timestamp"));
        boolean handover = !uuid.equals(writer);
        if (handover && finished.contains(uuid)) fail(pid + ": writer " + uuid + " wrote again after another: " + describe(rows));
        if (!seen.add(seq) && !(handover && seq == writerLastSeq)) {
          fail(pid + ": sequence number " + seq + " written twice, not at a handover: " + describe(rows));
        }
        if (handover) {
          if (writer != null) {
            finished.add(writer);
            handovers.add(new Handover(name, writerLast, time, seq == writerLastSeq));
          }
          writer = uuid;
        }
        writerLast = time;
        writerLastSeq = seq;
      }
    }
    return handovers;
  }

  /**
   * One object's writer changed: the old one's last write and the new one's first (ms since the
   * epoch, as issued); {@code late}: the old one's last write reached the journal after the new one
   * took over, with the same sequence number.
   */
  record Handover(String object, long lastBefore, long firstAfter, boolean late) {}

  private static String describe(List<Row> rows) {
    return rows.stream().map(r -> r.getLong("sequence_nr") + ":" + r.getString("writer_uuid").substring(0, 8) + "@"
        + Uuids.unixTimestamp(r.getUuid("timestamp"))).collect(Collectors.joining(", "));
  }
}
