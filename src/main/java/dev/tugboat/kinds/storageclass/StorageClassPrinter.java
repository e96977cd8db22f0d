package dev.tugboat.kinds.storageclass;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.List;

/** StorageClasses as kubectl 1.33 prints them, "(default)" after the default class's name. */
public record StorageClassPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Provisioner", "provisioner indicates the type of the provisioner."),
      Column.of("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete."),
      Column.of("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used."),
      Column.of("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand."),
      Column.age());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode sc, Instant now) {
    String name = sc.path("metadata").path("name").asText();
    return List.of(
        StorageClass.isDefault(sc) ? name + " (default)" : name,
        sc.path("provisioner").asText(""),
        Cells.text(sc.path("reclaimPolicy"), "Delete"),
        Cells.text(sc.path("volumeBindingMode"), "Immediate"),
        sc.path("allowVolumeExpansion").asBoolean(false),
        Cells.age(sc.path("metadata").path("creationTimestamp"), now));
  }
}
