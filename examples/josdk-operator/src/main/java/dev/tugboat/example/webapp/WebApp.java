package dev.tugboat.example.webapp;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** The custom resource this operator owns: {@code webapps.apps.tugboat.example}, namespaced, v1. */
@Group("apps.tugboat.example")
@Version("v1")
public class WebApp extends CustomResource<WebAppSpec, WebAppStatus> implements Namespaced {
  private static final long serialVersionUID = 1L;
}
