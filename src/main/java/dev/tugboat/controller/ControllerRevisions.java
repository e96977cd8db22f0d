package dev.tugboat.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.replicaset.ReplicaSetPlan;
import dev.tugboat.kinds.controllerrevision.ControllerRevision;
import dev.tugboat.registry.Result;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The template history of a DaemonSet or StatefulSet, kept as ControllerRevisions as Kubernetes
 * keeps it: one revision per template, named {@code <owner>-<hash>}, labelled with the hash, numbered
 * in the order the templates became current, pruned to {@code revisionHistoryLimit}. Its
 * {@code data} is the strategic merge patch that {@code kubectl rollout undo} sends back.
 */
public final class ControllerRevisions {
  /** The label of a controller's pods and revisions that names the template's revision hash. */
  public static final String HASH_LABEL = ControllerRevision.HASH_LABEL;

  private final Writes writes;

  public ControllerRevisions(Writes writes) {
    this.writes = writes;
  }

  /** The revisions {@code owner} controls, from its namespace. */
  public CompletionStage<List<ObjectNode>> of(ObjectNode owner) {
    String uid = Meta.uid(owner);
    return writes.listOwnedOrOrphaned("ControllerRevision", Meta.namespace(owner), uid)
        .thenApply(all -> all.stream().filter(r -> uid.equals(Meta.controllerUid(r))).toList());
  }

  /**
   * The revision of the owner's current template: created when new (numbered after the newest),
   * renumbered when an older one becomes current again (a rollback).
   */
  public CompletionStage<ObjectNode> current(ObjectNode owner, String hash, List<ObjectNode> revisions) {
    long newest = revisions.stream().mapToLong(r -> r.path("revision").asLong(0)).max().orElse(0);
    ObjectNode existing = revisions.stream().filter(r -> hash.equals(hash(r))).findFirst().orElse(null);
    String namespace = Meta.namespace(owner);
    if (existing != null) {
      if (existing.path("revision").asLong(0) == newest) return CompletableFuture.completedFuture(existing);
      ObjectNode patch = JsonNodeFactory.instance.objectNode().put("revision", newest + 1);
      return writes.patch("ControllerRevision", namespace, Meta.name(existing), patch)
          .thenApply(r -> r instanceof Result.Ok ok ? ok.object() : existing);
    }
    ObjectNode revision = JsonNodeFactory.instance.objectNode().put("apiVersion", "apps/v1").put("kind", "ControllerRevision");
    ObjectNode meta = revision.putObject("metadata");
    meta.put("name", Meta.name(owner) + "-" + hash);
    meta.put("namespace", namespace);
    ObjectNode labels = meta.putObject("labels");
    owner.path("spec").path("template").path("metadata").path("labels").fields()
        .forEachRemaining(e -> labels.set(e.getKey(), e.getValue()));
    labels.put(HASH_LABEL, hash);
    meta.putArray("ownerReferences").add(ReplicaSetPlan.ownerReference(owner));
    revision.set("data", data(owner));
    revision.put("revision", newest + 1);
    return writes.create("ControllerRevision", namespace, Meta.name(revision), revision)
        .thenApply(r -> r instanceof Result.Ok ok ? ok.object() : revision);
  }

  /** What brings the owner back to its current template: the patch Kubernetes stores. */
  public static ObjectNode data(ObjectNode owner) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    ObjectNode template = owner.path("spec").path("template").deepCopy();
    template.put("$patch", "replace");
    data.putObject("spec").set("template", template);
    return data;
  }

  /** The pod template a revision holds. */
  public static ObjectNode template(JsonNode revision) {
    ObjectNode template = revision.path("data").path("spec").path("template").deepCopy();
    template.remove("$patch");
    return template;
  }

  /** Deletes the oldest revisions beyond {@code revisionHistoryLimit} that no hash in {@code used} names. */
  public List<CompletableFuture<?>> prune(ObjectNode owner, List<ObjectNode> revisions, Set<String> used) {
    int limit = owner.path("spec").path("revisionHistoryLimit").asInt(10);
    List<ObjectNode> unused = revisions.stream().filter(r -> !used.contains(hash(r)))
        .sorted(Comparator.comparingLong(r -> r.path("revision").asLong(0))).toList();
    List<CompletableFuture<?>> work = new ArrayList<>();
    for (int i = 0; i < unused.size() - limit; i++) {
      ObjectNode r = unused.get(i);
      work.add(writes.delete("ControllerRevision", Meta.namespace(r), Meta.name(r), Meta.uid(r)));
    }
    return work;
  }

  /** The hash a revision or pod is labelled with ("" when none). */
  public static String hash(JsonNode object) {
    return object.path("metadata").path("labels").path(HASH_LABEL).asText("");
  }
}
