package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link Informer}'s view of its objects, without actors or streams: what a list or a watch event
 * changes in it, and what the owner is told about that. The informer's rules live here, so they are
 * tested without a cluster.
 *
 * <p>Events are decided by the view, not by the source's event types: an object the view lacks is
 * Added, one it has is Modified, and only when it is newer (a watch that resumes may repeat a
 * change, at least once); another object under the same name (deleted and created again while the
 * watch was down) is the old one Deleted and the new one Added.
 */
final class InformerView {
  private final String kind;
  private final Map<String, ObjectNode> objects = new HashMap<>();
  private long version;
  private boolean synced;

  InformerView(String kind) {
    this.kind = kind;
  }

  /**
   * A list replaces the view: the owner is told the differences (what is gone first, then what is
   * new or newer), then {@link Informer.Synced} the first time and {@link Informer.Relisted} after.
   */
  List<Informer.Event> replace(ListWatch.Listing listing) {
    Map<String, ObjectNode> listed = new LinkedHashMap<>();
    for (ObjectNode o : listing.items()) listed.put(key(o), o);
    List<Informer.Event> events = new ArrayList<>();
    for (Iterator<Map.Entry<String, ObjectNode>> it = objects.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, ObjectNode> known = it.next();
      if (!listed.containsKey(known.getKey())) {
        it.remove();
        events.add(new Informer.Deleted(kind, known.getValue()));
      }
    }
    listed.forEach((key, o) -> update(key, o, events));
    version = listing.resourceVersion();
    events.add(synced ? new Informer.Relisted(kind, objects.size()) : new Informer.Synced(kind, objects.size()));
    synced = true;
    return events;
  }

  /**
   * One event of the watch: what the owner is told (nothing for a bookmark or a change already
   * seen). ERROR events are the informer's to handle; here they change nothing.
   */
  List<Informer.Event> apply(WatchEvent event) {
    ObjectNode o = event.object();
    List<Informer.Event> events = new ArrayList<>(1);
    switch (event.type()) {
      case "ADDED", "MODIFIED" -> {
        version = Math.max(version, ObjectMeta.resourceVersion(o));
        update(key(o), o, events);
      }
      case "DELETED" -> {
        version = Math.max(version, ObjectMeta.resourceVersion(o));
        String key = key(o);
        ObjectNode known = objects.get(key);
        // The deletion of an earlier object of that name is no news about the one the view holds.
        if (known != null && uid(known).equals(uid(o))) {
          objects.remove(key);
          events.add(new Informer.Deleted(kind, o));
        }
      }
      case "BOOKMARK" -> version = Math.max(version, ObjectMeta.resourceVersion(o));
      default -> { }
    }
    return events;
  }

  private void update(String key, ObjectNode o, List<Informer.Event> events) {
    ObjectNode known = objects.get(key);
    if (known == null) {
      objects.put(key, o);
      events.add(new Informer.Added(kind, o));
    } else if (!uid(known).equals(uid(o))) {
      objects.put(key, o);
      events.add(new Informer.Deleted(kind, known));
      events.add(new Informer.Added(kind, o));
    } else if (ObjectMeta.resourceVersion(o) > ObjectMeta.resourceVersion(known)) {
      objects.put(key, o);
      events.add(new Informer.Modified(kind, known, o));
    }
  }

  /** The newest version seen (a list's, an event's or a bookmark's): where a watch resumes. */
  long version() {
    return version;
  }

  /** Whether a list has been applied: the view is complete, up to the watch's lag. */
  boolean synced() {
    return synced;
  }

  int size() {
    return objects.size();
  }

  /** {@code namespace/name}, or {@code name} for cluster-scoped objects. */
  static String key(ObjectNode o) {
    String namespace = o.path("metadata").path("namespace").asText("");
    String name = o.path("metadata").path("name").asText("");
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }

  private static String uid(ObjectNode o) {
    return o.path("metadata").path("uid").asText("");
  }
}
