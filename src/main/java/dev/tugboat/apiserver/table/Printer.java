package dev.tugboat.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * How one kind is shown as a table row: the columns kubectl shows for it against a real cluster,
 * and the cells of one object. Pure: the same object and clock give the same row.
 */
public sealed interface Printer
    permits PodPrinter, DeploymentPrinter, ReplicaSetPrinter, ServicePrinter, EndpointsPrinter, NodePrinter,
        NamespacePrinter, EventPrinter {

  List<Column> columns();

  /** One cell per column, in order: strings or integers. */
  List<Object> cells(JsonNode object, Instant now);
}
