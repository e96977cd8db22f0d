package dev.tugboat.kinds.deployment;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.ScaleSubresource;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.Defaults;
import dev.tugboat.model.Deployment;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1Apps;
import java.util.List;
import java.util.Optional;

/** Deployments (apps/v1): rolled out by the deployment controller through ReplicaSets. */
public final class DeploymentStrategy extends TypedStrategy<Deployment> {
  public static final ResourceType TYPE = new ResourceType("apps", "v1", "Deployment", "deployments", "deployment",
      List.of("deploy"), true, List.of("all"), List.of("status", "scale"), Deployment.class);
  private static final Printer PRINTER = new DeploymentPrinter();

  public DeploymentStrategy() {
    super(TYPE, Deployment.class);
  }

  @Override
  protected Deployment defaults(Deployment d) {
    return Defaults.deployment(d);
  }

  @Override
  protected void validate(Deployment d, List<FieldError> errors) {
    Validation.validateDeployment(errors, d);
  }

  @Override
  protected void validateUpdate(Deployment current, Deployment updated, List<FieldError> errors) {
    Validation.validateSelectorUpdate(errors, current.spec() == null ? null : current.spec().selector(),
        updated.spec() == null ? null : updated.spec().selector());
  }

  @Override
  public Optional<ScaleSubresource> scale() {
    return Optional.of(ScaleSubresource.REPLICAS);
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Apps.Deployment.class, V1Apps.DeploymentList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
