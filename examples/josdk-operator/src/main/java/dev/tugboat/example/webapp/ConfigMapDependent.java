package dev.tugboat.example.webapp;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Map;

/** The ConfigMap holding the WebApp's message (served by the pods as index.html). */
public class ConfigMapDependent extends OwnedDependent<ConfigMap> {
  public ConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(WebApp app, Context<WebApp> context) {
    String message = app.getSpec().message() == null ? "" : app.getSpec().message();
    return new ConfigMapBuilder().withMetadata(meta(app)).withData(Map.of("index.html", message)).build();
  }
}
