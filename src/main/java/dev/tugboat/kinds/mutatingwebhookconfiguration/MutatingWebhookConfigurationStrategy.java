package dev.tugboat.kinds.mutatingwebhookconfiguration;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.kinds.validatingwebhookconfiguration.WebhookConfigurationPrinter;
import dev.tugboat.kinds.validatingwebhookconfiguration.Webhooks;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import io.kubernetes.client.proto.V1Admissionregistration;
import java.util.List;
import java.util.Optional;

/**
 * MutatingWebhookConfigurations (admissionregistration.k8s.io/v1), with Kubernetes' defaults
 * (failurePolicy Fail, matchPolicy Equivalent, selectors {}, timeoutSeconds 10, scope *,
 * reinvocationPolicy Never) and validation ({@link Webhooks}). The admission step that calls
 * them is {@code dev.tugboat.admission}.
 */
public final class MutatingWebhookConfigurationStrategy extends TypedStrategy<MutatingWebhookConfiguration> {
  public static final ResourceType TYPE = new ResourceType("admissionregistration.k8s.io", "v1",
      "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", "mutatingwebhookconfiguration", List.of(), false,
      List.of("api-extensions"), List.of(), MutatingWebhookConfiguration.class);
  private static final Printer PRINTER = new WebhookConfigurationPrinter();

  public MutatingWebhookConfigurationStrategy() {
    super(TYPE, MutatingWebhookConfiguration.class);
  }

  @Override
  protected MutatingWebhookConfiguration defaults(MutatingWebhookConfiguration c) {
    return new MutatingWebhookConfiguration(c.apiVersion(), c.kind(), c.metadata(), Webhooks.defaults(c.webhooks(), true));
  }

  @Override
  protected void validate(MutatingWebhookConfiguration c, List<FieldError> errors) {
    Webhooks.validate(c.webhooks(), true, errors);
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Admissionregistration.MutatingWebhookConfiguration.class,
        V1Admissionregistration.MutatingWebhookConfigurationList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
