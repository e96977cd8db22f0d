package dev.tugboat.kinds.event;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.SelectableField;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.Event;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1;
import java.util.List;
import java.util.Optional;

/** Events (core/v1): what happened to an object, as {@code kubectl describe} shows. */
public final class EventStrategy extends TypedStrategy<Event> {
  public static final ResourceType TYPE = new ResourceType("", "v1", "Event", "events", "event", List.of("ev"), true,
      List.of(), List.of(), Event.class);
  private static final Printer PRINTER = new EventPrinter();
  private static final List<SelectableField> FIELDS = List.of(
      SelectableField.of("involvedObject.kind"), SelectableField.of("involvedObject.namespace"),
      SelectableField.of("involvedObject.name"), SelectableField.of("involvedObject.uid"),
      SelectableField.of("involvedObject.apiVersion"), SelectableField.of("involvedObject.resourceVersion"),
      SelectableField.of("involvedObject.fieldPath"), SelectableField.of("reason"), SelectableField.of("type"),
      // Kubernetes selects an Event's source by its component.
      new SelectableField("source", "source.component", ""), SelectableField.of("reportingComponent"));

  public EventStrategy() {
    super(TYPE, Event.class);
  }

  @Override
  protected void validate(Event e, List<FieldError> errors) {
    Validation.validateEvent(errors, e);
  }

  @Override
  public List<SelectableField> selectableFields() {
    return FIELDS;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1.Event.class, V1.EventList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
