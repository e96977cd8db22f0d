package dev.tugboat.example.webapp;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * The Deployment running the WebApp: busybox httpd serving the ConfigMap's {@code index.html}. Its
 * pod template carries a hash of the message, so a new message rolls the pods as a config change should.
 */
public class DeploymentDependent extends OwnedDependent<Deployment> {
  public DeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(WebApp app, Context<WebApp> context) {
    String name = app.getMetadata().getName();
    int replicas = app.getSpec().replicas() == null ? 1 : app.getSpec().replicas();
    String message = app.getSpec().message() == null ? "" : app.getSpec().message();
    return new DeploymentBuilder()
        .withMetadata(meta(app))
        .withNewSpec()
          .withReplicas(replicas)
          .withNewSelector().withMatchLabels(labels(app)).endSelector()
          .withNewTemplate()
            .withNewMetadata()
              .withLabels(labels(app))
              .addToAnnotations("apps.tugboat.example/message-hash", Integer.toHexString(message.hashCode()))
            .endMetadata()
            .withNewSpec()
              .addNewContainer()
                .withName("web")
                .withImage(app.getSpec().image())
                .withCommand("httpd", "-f", "-p", "80", "-h", "/www")
                .addNewPort().withName("http").withContainerPort(80).withProtocol("TCP").endPort()
                .addNewVolumeMount().withName("content").withMountPath("/www").endVolumeMount()
              .endContainer()
              .addNewVolume().withName("content").withNewConfigMap().withName(name).endConfigMap().endVolume()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }
}
