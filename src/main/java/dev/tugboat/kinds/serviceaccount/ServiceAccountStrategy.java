package dev.tugboat.kinds.serviceaccount;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ObjectReference;
import dev.tugboat.model.Pod;
import dev.tugboat.model.ResourceType;
import io.kubernetes.client.proto.V1;
import java.util.List;
import java.util.Optional;

/**
 * ServiceAccounts (core/v1), with the {@code token} subresource (a TokenRequest, served by the API
 * server, which signs the token). Every namespace has a {@code default} one, kept by the
 * serviceaccount controller.
 */
public final class ServiceAccountStrategy extends TypedStrategy<ServiceAccount> {
  public static final ResourceType TYPE = new ResourceType("", "v1", "ServiceAccount", "serviceaccounts",
      "serviceaccount", List.of("sa"), true, List.of(), List.of("token"), ServiceAccount.class);
  /** The account a pod naming none runs as, and the one each namespace is given. */
  public static final String DEFAULT = "default";
  private static final Printer PRINTER = new ServiceAccountPrinter();

  public ServiceAccountStrategy() {
    super(TYPE, ServiceAccount.class);
  }

  @Override
  protected void validate(ServiceAccount sa, List<FieldError> errors) {
    List<ObjectReference> secrets = sa.secrets() == null ? List.of() : sa.secrets();
    for (int i = 0; i < secrets.size(); i++) {
      ObjectReference s = secrets.get(i);
      if (s == null || s.name() == null || s.name().isEmpty()) errors.add(FieldError.required("secrets[" + i + "].name", null));
    }
    List<Pod.ObjectRef> pulls = sa.imagePullSecrets() == null ? List.of() : sa.imagePullSecrets();
    for (int i = 0; i < pulls.size(); i++) {
      Pod.ObjectRef p = pulls.get(i);
      if (p == null || p.name() == null || p.name().isEmpty()) {
        errors.add(FieldError.required("imagePullSecrets[" + i + "].name", null));
      }
    }
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1.ServiceAccount.class, V1.ServiceAccountList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
