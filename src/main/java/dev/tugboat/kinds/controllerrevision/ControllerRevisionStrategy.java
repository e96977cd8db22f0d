package dev.tugboat.kinds.controllerrevision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import io.kubernetes.client.proto.V1Apps;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** ControllerRevisions (apps/v1): a revision number of at least 0, and data that never changes. */
public final class ControllerRevisionStrategy extends TypedStrategy<ControllerRevision> {
  public static final ResourceType TYPE = new ResourceType("apps", "v1", "ControllerRevision", "controllerrevisions",
      "controllerrevision", List.of(), true, List.of(), List.of(), ControllerRevision.class);

  /** NAME, CONTROLLER (kind.group/name of its controlling owner), REVISION, AGE, as kubectl shows them. */
  private static final Printer PRINTER = new Printer() {
    private final List<Column> columns = List.of(Column.nameColumn(),
        Column.of("Controller", "Controller of the object"),
        Column.of("Revision", "Revision of the ControllerRevision").withType("integer"), Column.age());

    @Override
    public List<Column> columns() {
      return columns;
    }

    @Override
    public List<Object> cells(JsonNode r, Instant now) {
      String controller = "<none>";
      for (JsonNode owner : r.path("metadata").path("ownerReferences")) {
        if (!owner.path("controller").asBoolean()) continue;
        String apiVersion = owner.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? "." + apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        controller = owner.path("kind").asText().toLowerCase(java.util.Locale.ROOT) + group + "/" + owner.path("name").asText();
      }
      return List.of(r.path("metadata").path("name").asText(), controller, r.path("revision").asLong(0),
          Cells.age(r.path("metadata").path("creationTimestamp"), now));
    }
  };

  public ControllerRevisionStrategy() {
    super(TYPE, ControllerRevision.class);
  }

  @Override
  protected void validate(ControllerRevision r, List<FieldError> e) {
    if (r.revision() == null) e.add(FieldError.required("revision", null));
    else if (r.revision() < 0) e.add(FieldError.invalid("revision", r.revision(), "must be greater than or equal to 0"));
  }

  @Override
  protected void validateUpdate(ControllerRevision current, ControllerRevision updated, List<FieldError> e) {
    if (!Objects.equals(current.data(), updated.data())) e.add(FieldError.invalid("data", "", "field is immutable"));
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Apps.ControllerRevision.class, V1Apps.ControllerRevisionList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
