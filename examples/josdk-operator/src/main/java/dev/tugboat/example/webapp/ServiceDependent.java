package dev.tugboat.example.webapp;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** The ClusterIP Service in front of the WebApp's pods, port 80. */
public class ServiceDependent extends OwnedDependent<Service> {
  public ServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(WebApp app, Context<WebApp> context) {
    return new ServiceBuilder()
        .withMetadata(meta(app))
        .withNewSpec()
          .withSelector(labels(app))
          .addNewPort().withName("http").withProtocol("TCP").withPort(80).withTargetPort(new IntOrString(80)).endPort()
        .endSpec()
        .build();
  }
}
