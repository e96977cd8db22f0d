package dev.tugboat.kinds.persistentvolumeclaim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import dev.tugboat.kinds.persistentvolume.Volumes;
import java.time.Instant;
import java.util.List;

/**
 * PersistentVolumeClaims as kubectl 1.33 prints them (its printPersistentVolumeClaim): capacity and
 * access modes only once bound; wide: VOLUMEMODE.
 */
public record PersistentVolumeClaimPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Status", "phase represents the current phase of PersistentVolumeClaim."),
      Column.of("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
      Column.of("Capacity", "capacity represents the actual resources of the underlying volume."),
      Column.of("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has."),
      Column.of("StorageClass", "StorageClass of the pvc"),
      Column.of("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
      Column.age(),
      Column.wide("VolumeMode", "volumeMode defines what type of volume is required by the claim."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode pvc, Instant now) {
    JsonNode spec = pvc.path("spec");
    String phase = pvc.path("metadata").has("deletionTimestamp") ? "Terminating"
        : pvc.path("status").path("phase").asText("");
    String volume = spec.path("volumeName").asText("");
    boolean bound = !volume.isEmpty();
    return List.of(
        pvc.path("metadata").path("name").asText(),
        phase,
        volume,
        bound ? pvc.path("status").path("capacity").path("storage").asText("0") : "",
        bound ? Volumes.accessModes(pvc.path("status").path("accessModes")) : "",
        Volumes.className(pvc),
        Cells.text(spec.path("volumeAttributesClassName"), "<unset>"),
        Cells.age(pvc.path("metadata").path("creationTimestamp"), now),
        Cells.text(spec.path("volumeMode"), "<unset>"));
  }
}
