package dev.tugboat.kinds.persistentvolume;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.List;

/** PersistentVolumes as kubectl 1.33 prints them (its printPersistentVolume); wide: VOLUMEMODE. */
public record PersistentVolumePrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
      Column.of("Access Modes", "accessModes contains all ways the volume can be mounted."),
      Column.of("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
      Column.of("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
      Column.of("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
      Column.of("StorageClass", "StorageClass of the pv"),
      Column.of("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
      Column.of("Reason", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
      Column.age(),
      Column.wide("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode pv, Instant now) {
    JsonNode spec = pv.path("spec");
    JsonNode claim = spec.path("claimRef");
    String claimRef = claim.isObject() ? claim.path("namespace").asText("") + "/" + claim.path("name").asText("") : "";
    String phase = pv.path("metadata").has("deletionTimestamp") ? "Terminating"
        : pv.path("status").path("phase").asText("");
    return List.of(
        pv.path("metadata").path("name").asText(),
        spec.path("capacity").path("storage").asText("0"),
        Volumes.accessModes(spec.path("accessModes")),
        spec.path("persistentVolumeReclaimPolicy").asText(""),
        phase,
        claimRef,
        Volumes.className(pv),
        Cells.text(spec.path("volumeAttributesClassName"), "<unset>"),
        pv.path("status").path("reason").asText(""),
        Cells.age(pv.path("metadata").path("creationTimestamp"), now),
        Cells.text(spec.path("volumeMode"), "<unset>"));
  }
}
