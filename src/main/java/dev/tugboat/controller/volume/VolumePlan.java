package dev.tugboat.controller.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.controller.Meta;

/**
 * What one pass over a volume does, decided without I/O, as Kubernetes' persistentvolume controller
 * (syncVolume) decides it: a volume no claim holds is Available; one whose claim names it back is
 * Bound; one whose claim is gone (deleted, or replaced by another of that name) is Released, and
 * then reclaimed: {@code Retain} keeps it (an admin's to clean), {@code Delete} deletes it.
 * {@code Recycle} is deprecated in Kubernetes and not done here: such a volume Fails.
 */
public final class VolumePlan {
  private VolumePlan() {}

  public sealed interface Step {}

  public record Nothing() implements Step {}

  /** Write this phase (and message, or null). */
  public record Phase(String phase, String message) implements Step {}

  /** Reclaim policy Delete: delete the volume. */
  public record Delete() implements Step {}

  /**
   * @param claim the claim the volume's claimRef names, as the store has it now; null when there is none
   */
  public static Step of(ObjectNode pv, ObjectNode claim) {
    if (pv.path("metadata").has("deletionTimestamp")) return new Nothing();
    String phase = pv.path("status").path("phase").asText("");
    JsonNode ref = pv.path("spec").path("claimRef");
    if (!ref.isObject()) return phase.equals("Available") ? new Nothing() : new Phase("Available", null);
    String uid = ref.path("uid").asText("");
    boolean sameClaim = claim != null && (uid.isEmpty() || uid.equals(Meta.uid(claim)));
    if (uid.isEmpty() && claim == null || sameClaim && !Meta.name(pv).equals(claim.path("spec").path("volumeName").asText())) {
      // Pre-bound, or being bound: the claim's pass completes it.
      return phase.isEmpty() || phase.equals("Pending") ? new Phase("Available", null) : new Nothing();
    }
    if (sameClaim) return phase.equals("Bound") ? new Nothing() : new Phase("Bound", null);
    // Its claim is gone.
    if (!phase.equals("Released") && !phase.equals("Failed")) return new Phase("Released", null);
    if (phase.equals("Failed")) return new Nothing();
    return switch (pv.path("spec").path("persistentVolumeReclaimPolicy").asText("Retain")) {
      case "Delete" -> new Delete();
      case "Recycle" -> new Phase("Failed", "Recycle is not supported by Tugboat: delete the volume's data yourself");
      default -> new Nothing();
    };
  }
}
