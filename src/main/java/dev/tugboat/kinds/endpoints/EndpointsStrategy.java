package dev.tugboat.kinds.endpoints;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.Endpoints;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1;
import java.util.List;
import java.util.Optional;

/** Endpoints (core/v1): the ready addresses of a Service, written by the endpoints controller. */
public final class EndpointsStrategy extends TypedStrategy<Endpoints> {
  public static final ResourceType TYPE = new ResourceType("", "v1", "Endpoints", "endpoints", "endpoints",
      List.of("ep"), true, List.of(), List.of(), Endpoints.class);
  private static final Printer PRINTER = new EndpointsPrinter();

  public EndpointsStrategy() {
    super(TYPE, Endpoints.class);
  }

  @Override
  protected void validate(Endpoints e, List<FieldError> errors) {
    Validation.validateEndpoints(errors, e);
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1.Endpoints.class, V1.EndpointsList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
