package dev.tugboat.kinds.validatingwebhookconfiguration;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;

import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import io.kubernetes.client.proto.V1Admissionregistration;
import java.util.List;
import java.util.Optional;

/**
 * ValidatingWebhookConfigurations (admissionregistration.k8s.io/v1), with Kubernetes' defaults
 * (failurePolicy Fail, matchPolicy Equivalent, selectors {}, timeoutSeconds 10, scope *) and validation ({@link Webhooks}). The admission step that calls
 * them is {@code dev.tugboat.admission}.
 */
public final class ValidatingWebhookConfigurationStrategy extends TypedStrategy<ValidatingWebhookConfiguration> {
  public static final ResourceType TYPE = new ResourceType("admissionregistration.k8s.io", "v1",
      "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", "validatingwebhookconfiguration", List.of(), false,
      List.of("api-extensions"), List.of(), ValidatingWebhookConfiguration.class);
  private static final Printer PRINTER = new WebhookConfigurationPrinter();

  public ValidatingWebhookConfigurationStrategy() {
    super(TYPE, ValidatingWebhookConfiguration.class);
  }

  @Override
  protected ValidatingWebhookConfiguration defaults(ValidatingWebhookConfiguration c) {
    return new ValidatingWebhookConfiguration(c.apiVersion(), c.kind(), c.metadata(), Webhooks.defaults(c.webhooks(), false));
  }

  @Override
  protected void validate(ValidatingWebhookConfiguration c, List<FieldError> errors) {
    Webhooks.validate(c.webhooks(), false, errors);
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Admissionregistration.ValidatingWebhookConfiguration.class,
        V1Admissionregistration.ValidatingWebhookConfigurationList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
