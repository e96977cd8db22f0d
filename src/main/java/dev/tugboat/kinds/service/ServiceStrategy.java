package dev.tugboat.kinds.service;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.SelectableField;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.Defaults;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Service;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1;
import java.util.List;
import java.util.Optional;

/** Services (core/v1): given a cluster IP by the service controller, routed by every node's proxy. */
public final class ServiceStrategy extends TypedStrategy<Service> {
  public static final ResourceType TYPE = new ResourceType("", "v1", "Service", "services", "service",
      List.of("svc"), true, List.of("all"), List.of("status"), Service.class);
  private static final Printer PRINTER = new ServicePrinter();
  private static final List<SelectableField> FIELDS =
      List.of(SelectableField.of("spec.type"), SelectableField.of("spec.clusterIP"));

  public ServiceStrategy() {
    super(TYPE, Service.class);
  }

  @Override
  protected Service defaults(Service s) {
    return Defaults.service(s);
  }

  @Override
  protected void validate(Service s, List<FieldError> errors) {
    Validation.validateService(errors, s);
  }

  @Override
  protected void validateUpdate(Service current, Service updated, List<FieldError> errors) {
    Validation.validateServiceUpdate(errors, current, updated);
  }

  @Override
  public List<SelectableField> selectableFields() {
    return FIELDS;
  }

  /** Its name becomes a DNS label (a Service's in its cluster DNS name, a Namespace's in every Service's). */
  @Override
  public Validation.NameRule nameRule() {
    return Validation.NameRule.DNS_LABEL;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1.Service.class, V1.ServiceList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
