package dev.tugboat.controller.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Meta;
import dev.tugboat.kinds.persistentvolume.PersistentVolume;
import dev.tugboat.kinds.persistentvolume.Volumes;
import dev.tugboat.kinds.persistentvolumeclaim.PersistentVolumeClaim;
import dev.tugboat.kinds.persistentvolumeclaim.PersistentVolumeClaimStrategy;
import dev.tugboat.kinds.storageclass.StorageClass;
import dev.tugboat.model.Codec;
import dev.tugboat.model.LabelSelector;
import dev.tugboat.model.Selector;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one pass over a claim does, decided without I/O, as Kubernetes' persistentvolume controller
 * (syncClaim), pvc-protection controller and the scheduler's volume binding decide it: one step per
 * pass, the next pass (woken by the step's own writes) takes the next.
 *
 * <p>A claim that is being deleted loses its protection finalizer once no pod that has not
 * terminated uses it. An unbound claim is bound to the volume that names it already (pre-bound:
 * what the provisioner makes), or to the smallest Available volume of its class whose capacity,
 * access modes, volume mode, selector and (for a WaitForFirstConsumer class) node affinity fit; for
 * a WaitForFirstConsumer class only once its first pod was placed ({@code selected-node}). If none
 * fits, the {@code tugboat.dev/local} provisioner makes one on the selected node; otherwise it waits,
 * saying why.
 */
public final class ClaimPlan {
  /** Where a node agent keeps its data: provisioned local volumes go under {@code <it>/volumes}. */
  public static final String DATA_DIR_ANNOTATION = PersistentVolume.DATA_DIR_ANNOTATION;

  private ClaimPlan() {}

  /** One step of the binder on a claim. */
  public sealed interface Step {}

  /** Nothing to do now. */
  public record Nothing() implements Step {}

  /** The claim is being deleted and no pod uses it: its protection finalizer goes. */
  public record RemoveFinalizer() implements Step {}

  /** A claim created before any default class existed gets it now (Kubernetes' retroactive default). */
  public record SetDefaultClass(String className) implements Step {}

  /** Its first pod is bound to a node: the claim records it for the provisioner and binder. */
  public record SelectNode(String node) implements Step {}

  /** Bind the claim and this volume to each other (both sides, then both statuses). */
  public record Bind(ObjectNode volume) implements Step {}

  /** Create this volume (pre-bound to the claim) for it. */
  public record Provision(ObjectNode volume) implements Step {}

  /** The claim stays Pending: an Event of this type, reason and message says why. */
  public record Wait(String type, String reason, String message) implements Step {}

  /** The claim's volume is gone: it is Lost. */
  public record Lost(String message) implements Step {}

  /**
   * A pass over one claim.
   *
   * @param pods the pods of the claim's namespace
   */
  public static Step of(ObjectNode claim, List<ObjectNode> volumes, List<ObjectNode> classes, List<ObjectNode> nodes,
      List<ObjectNode> pods) {
    String name = Meta.name(claim);
    if (claim.path("metadata").has("deletionTimestamp")) {
      boolean protectedClaim = false;
      for (JsonNode f : claim.path("metadata").path("finalizers")) {
        protectedClaim |= PersistentVolumeClaim.PROTECTION_FINALIZER.equals(f.asText());
      }
      return protectedClaim && users(name, pods).isEmpty() ? new RemoveFinalizer() : new Nothing();
    }
    JsonNode spec = claim.path("spec");
    String volumeName = spec.path("volumeName").asText("");
    if (!volumeName.isEmpty()) return bound(claim, volumeName, volumes);
    // Pre-bound: a volume that names this claim (made for it by the provisioner, or by an admin).
    for (ObjectNode pv : volumes) {
      if (!pv.path("metadata").has("deletionTimestamp") && names(pv.path("spec").path("claimRef"), claim)) {
        return new Bind(pv);
      }
    }
    if (!spec.hasNonNull("storageClassName") && !claim.path("metadata").path("annotations")
        .has("volume.beta.kubernetes.io/storage-class")) {
      String def = PersistentVolumeClaimStrategy.defaultClass(JsonNodeFactory.instance.arrayNode().addAll(classes));
      if (def != null) return new SetDefaultClass(def);
    }
    String className = Volumes.className(claim);
    ObjectNode storageClass = className.isEmpty() ? null : classes.stream()
        .filter(c -> className.equals(Meta.name(c))).findFirst().orElse(null);
    boolean delayed = storageClass != null
        && "WaitForFirstConsumer".equals(storageClass.path("volumeBindingMode").asText());
    String selectedNode = claim.path("metadata").path("annotations").path(PersistentVolumeClaim.SELECTED_NODE).asText("");
    if (delayed && selectedNode.isEmpty()) {
      for (ObjectNode pod : users(name, pods)) {
        String node = pod.path("spec").path("nodeName").asText("");
        if (!node.isEmpty()) return new SelectNode(node);
      }
      return new Wait("Normal", "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
    }
    ObjectNode node = delayed ? nodes.stream().filter(n -> selectedNode.equals(Meta.name(n))).findFirst().orElse(null) : null;
    ObjectNode match = bestVolume(claim, volumes, delayed ? selectedNode : null, node == null ? Map.of() : Meta.labels(node));
    if (match != null) return new Bind(match);
    if (className.isEmpty()) {
      return new Wait("Normal", "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
    }
    if (storageClass == null) {
      return new Wait("Warning", "ProvisioningFailed", "storageclass.storage.k8s.io \"" + className + "\" not found");
    }
    String provisioner = storageClass.path("provisioner").asText("");
    if (!provisioner.equals(StorageClass.LOCAL_PROVISIONER)) {
      if (provisioner.equals(StorageClass.NO_PROVISIONER)) {
        return new Wait("Normal", "FailedBinding", "no persistent volumes available for this claim and storage class \""
            + className + "\" has no provisioner");
      }
      return new Wait("Normal", "ExternalProvisioning", "Waiting for a volume to be created either by the external "
          + "provisioner '" + provisioner + "' or manually by the system administrator. If volume creation is delayed, "
          + "please verify that the provisioner is running and correctly registered.");
    }
    if (!delayed) {
      return new Wait("Warning", "ProvisioningFailed", StorageClass.LOCAL_PROVISIONER
          + " makes a volume on the node of the claim's first pod: its class must be WaitForFirstConsumer");
    }
    if (node == null) {
      return new Wait("Warning", "ProvisioningFailed", "the selected node \"" + selectedNode + "\" does not exist");
    }
    String dataDir = node.path("metadata").path("annotations").path(DATA_DIR_ANNOTATION).asText("");
    if (dataDir.isEmpty()) {
      return new Wait("Warning", "ProvisioningFailed", "node \"" + selectedNode + "\" does not say where its data "
          + "directory is (annotation " + DATA_DIR_ANNOTATION + ")");
    }
    return new Provision(provisioned(claim, storageClass, selectedNode, dataDir));
  }

  /** A claim that names its volume: bound (complete whatever is missing), or Lost when the volume is gone. */
  private static Step bound(ObjectNode claim, String volumeName, List<ObjectNode> volumes) {
    ObjectNode pv = volumes.stream().filter(v -> volumeName.equals(Meta.name(v))).findFirst().orElse(null);
    if (pv == null) {
      if ("Bound".equals(claim.path("status").path("phase").asText()) || "Lost".equals(claim.path("status").path("phase").asText())) {
        return new Lost("Bound claim has lost its PersistentVolume. Data on the volume is lost!");
      }
      return new Wait("Normal", "FailedBinding", "volume \"" + volumeName + "\" not found");
    }
    JsonNode ref = pv.path("spec").path("claimRef");
    if (ref.isObject() && !names(ref, claim)) {
      return new Wait("Warning", "FailedBinding", "volume \"" + volumeName + "\" already bound to a different claim.");
    }
    if (!ref.isObject() && !fits(claim, pv)) {
      return new Wait("Warning", "FailedBinding", "Cannot bind to requested volume \"" + volumeName
          + "\": requested PV is too small, of another class or without the requested access modes");
    }
    return new Bind(pv);
  }

  /** Whether a claimRef names this claim: its namespace and name, and its uid unless the ref has none. */
  static boolean names(JsonNode ref, ObjectNode claim) {
    if (!ref.isObject()) return false;
    String uid = ref.path("uid").asText("");
    return Meta.namespace(claim).equals(ref.path("namespace").asText())
        && Meta.name(claim).equals(ref.path("name").asText()) && (uid.isEmpty() || uid.equals(Meta.uid(claim)));
  }

  /** The pods of the namespace, not terminated, that use the claim (being deleted or not: they may still write). */
  static List<ObjectNode> users(String claimName, List<ObjectNode> pods) {
    List<ObjectNode> users = new ArrayList<>();
    for (ObjectNode pod : pods) {
      String phase = pod.path("status").path("phase").asText("");
      if (phase.equals("Succeeded") || phase.equals("Failed")) continue;
      if (Volumes.claimNames(pod).contains(claimName)) users.add(pod);
    }
    return users;
  }

  /**
   * The smallest free volume that fits the claim (Kubernetes' findMatchingVolume), on {@code node}
   * when it is given; null for none.
   */
  static ObjectNode bestVolume(ObjectNode claim, List<ObjectNode> volumes, String node, Map<String, String> nodeLabels) {
    List<ObjectNode> fitting = new ArrayList<>();
    for (ObjectNode pv : volumes) {
      if (pv.path("metadata").has("deletionTimestamp") || pv.path("spec").path("claimRef").isObject()) continue;
      String phase = pv.path("status").path("phase").asText("");
      if (phase.equals("Released") || phase.equals("Failed")) continue;
      if (!fits(claim, pv)) continue;
      if (node != null && !Volumes.availableOn(pv, node, nodeLabels)) continue;
      fitting.add(pv);
    }
    return fitting.stream().min(Comparator.comparing((ObjectNode pv) -> Volumes.storage(pv.path("spec").path("capacity")))
        .thenComparing(Meta::name)).orElse(null);
  }

  /** Class, volume mode, access modes, capacity and the claim's selector. */
  static boolean fits(ObjectNode claim, ObjectNode pv) {
    JsonNode c = claim.path("spec");
    JsonNode v = pv.path("spec");
    if (!Volumes.className(claim).equals(Volumes.className(pv))) return false;
    if (!c.path("volumeMode").asText("Filesystem").equals(v.path("volumeMode").asText("Filesystem"))) return false;
    Set<String> offered = new HashSet<>();
    v.path("accessModes").forEach(m -> offered.add(m.asText()));
    for (JsonNode m : c.path("accessModes")) if (!offered.contains(m.asText())) return false;
    BigDecimal requested = Volumes.storage(c.path("resources").path("requests"));
    BigDecimal capacity = Volumes.storage(v.path("capacity"));
    if (requested == null || capacity == null || capacity.compareTo(requested) < 0) return false;
    if (c.path("selector").isObject()) {
      Selector selector = LabelSelector.matcher(Codec.convert(c.path("selector"), LabelSelector.class));
      if (!selector.matches(Meta.labels(pv))) return false;
    }
    return true;
  }

  /**
   * The volume the local provisioner makes for a claim: {@code pvc-<claim uid>}, a directory
   * {@code <data dir>/volumes/<name>} of the selected node (its agent creates it on first mount and
   * removes it when the volume is deleted: hence the finalizer), only usable there, as large as
   * asked, reclaimed as the class says, and bound to the claim from the start.
   */
  static ObjectNode provisioned(ObjectNode claim, ObjectNode storageClass, String node, String dataDir) {
    String name = "pvc-" + Meta.uid(claim);
    ObjectNode pv = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "PersistentVolume");
    ObjectNode meta = pv.putObject("metadata");
    meta.put("name", name);
    meta.putObject("annotations").put(PersistentVolume.PROVISIONED_BY, StorageClass.LOCAL_PROVISIONER)
        .put(PersistentVolume.NODE_ANNOTATION, node);
    meta.putArray("finalizers").add(PersistentVolume.LOCAL_CLEANUP_FINALIZER);
    ObjectNode spec = pv.putObject("spec");
    spec.putObject("capacity").set("storage", claim.path("spec").path("resources").path("requests").path("storage"));
    spec.set("accessModes", claim.path("spec").path("accessModes").deepCopy());
    spec.put("persistentVolumeReclaimPolicy", storageClass.path("reclaimPolicy").asText("Delete"));
    spec.put("storageClassName", Meta.name(storageClass));
    spec.put("volumeMode", claim.path("spec").path("volumeMode").asText("Filesystem"));
    String root = dataDir.endsWith("/") ? dataDir.substring(0, dataDir.length() - 1) : dataDir;
    spec.putObject("local").put("path", root + "/volumes/" + name);
    ObjectNode expression = spec.putObject("nodeAffinity").putObject("required").putArray("nodeSelectorTerms")
        .addObject().putArray("matchExpressions").addObject();
    expression.put("key", "kubernetes.io/hostname").put("operator", "In").putArray("values").add(node);
    spec.set("claimRef", claimRef(claim));
    return pv;
  }

  /** The reference a volume bound to {@code claim} holds. */
  static ObjectNode claimRef(ObjectNode claim) {
    ObjectNode ref = JsonNodeFactory.instance.objectNode();
    ref.put("kind", "PersistentVolumeClaim").put("namespace", Meta.namespace(claim)).put("name", Meta.name(claim))
        .put("uid", Meta.uid(claim)).put("apiVersion", "v1")
        .put("resourceVersion", claim.path("metadata").path("resourceVersion").asText(""));
    return ref;
  }
}
