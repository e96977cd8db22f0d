package dev.tugboat.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.persistentvolume.PersistentVolume;
import dev.tugboat.kinds.persistentvolume.Volumes;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The node's half of deleting a provisioned local volume: when a volume made on this node by the
 * {@code tugboat.dev/local} provisioner is being deleted, its directory is removed, then its
 * cleanup finalizer, so the object goes only once the data has. A removal that fails (the store
 * down) is tried again every resync; an agent that was away finds the volume on its first list.
 * Runs on the runtime dispatcher: it deletes files.
 */
final class LocalVolumeCleaner {
  private sealed interface Msg {}

  private record Informed(Informer.Event event) implements Msg {}

  private record Removed(String name, boolean done) implements Msg {}

  private enum Tick implements Msg { INSTANCE }

  private LocalVolumeCleaner() {}

  static Behavior<Void> create(Registry registry, NodeSettings settings) {
    Path root = Path.of(settings.dataDir()).toAbsolutePath().normalize().resolve("volumes");
    String node = settings.nodeName();
    return Behaviors.<Msg>setup(context -> Behaviors.withTimers(timers -> {
      context.spawn(Informer.create(registry, Informer.Selection.of("PersistentVolume").matching(pv ->
              node.equals(pv.path("metadata").path("annotations").path(PersistentVolume.NODE_ANNOTATION).asText())),
          context.messageAdapter(Informer.Event.class, Informed::new)), "pv-informer");
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.resync());
      Map<String, ObjectNode> pending = new HashMap<>();
      Map<String, Boolean> inFlight = new HashMap<>();
      Runnable process = () -> pending.forEach((name, pv) -> {
        if (inFlight.containsKey(name)) return;
        inFlight.put(name, true);
        boolean removed = removeDirectory(root, pv, context.getLog());
        if (!removed) {
          inFlight.remove(name);
          return;
        }
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        ObjectNode meta = patch.putObject("metadata");
        meta.put("uid", pv.path("metadata").path("uid").asText());
        ArrayNode rest = meta.putArray("finalizers");
        for (JsonNode f : pv.path("metadata").path("finalizers")) {
          if (!PersistentVolume.LOCAL_CLEANUP_FINALIZER.equals(f.asText())) rest.add(f);
        }
        context.pipeToSelf(registry.patch("PersistentVolume", null, name, "application/merge-patch+json", patch, false),
            (r, error) -> new Removed(name, error == null && (r instanceof Result.Ok
                || r instanceof Result.Failed f && f.status().code() == 404)));
      });
      return Behaviors.receive(Msg.class)
          .onMessage(Informed.class, i -> {
            if (i.event() instanceof Informer.Deleted d) {
              pending.remove(d.object().path("metadata").path("name").asText());
            } else if (i.event() instanceof Informer.ObjectEvent e && due(e.object())) {
              pending.put(e.object().path("metadata").path("name").asText(), e.object());
              process.run();
            }
            return Behaviors.same();
          })
          .onMessage(Removed.class, r -> {
            inFlight.remove(r.name());
            if (r.done()) pending.remove(r.name());
            return Behaviors.same();
          })
          .onMessageEquals(Tick.INSTANCE, () -> {
            process.run();
            return Behaviors.same();
          })
          .build();
    })).unsafeCast();
  }

  /** Being deleted, and still holding the finalizer this agent removes. */
  private static boolean due(ObjectNode pv) {
    if (!pv.path("metadata").has("deletionTimestamp")) return false;
    for (JsonNode f : pv.path("metadata").path("finalizers")) {
      if (PersistentVolume.LOCAL_CLEANUP_FINALIZER.equals(f.asText())) return true;
    }
    return false;
  }

  /**
   * Removes the volume's directory; true when it is gone. Only a directory under this node's
   * {@code <data dir>/volumes} is ever touched, whatever the object says.
   */
  private static boolean removeDirectory(Path root, ObjectNode pv, org.slf4j.Logger log) {
    String path = Volumes.path(pv);
    if (path == null) return true;
    Path dir = Path.of(path).toAbsolutePath().normalize();
    if (!dir.startsWith(root) || dir.equals(root)) {
      log.warn("Volume {}: {} is not under {}; its finalizer is removed, its path left alone",
          pv.path("metadata").path("name").asText(), dir, root);
      return true;
    }
    if (!Files.exists(dir)) return true;
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("Volume {}: cannot remove {}: {}", pv.path("metadata").path("name").asText(), dir, e.getMessage());
      return false;
    }
    return !Files.exists(dir);
  }
}
