package dev.tugboat.example.webapp;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.util.List;

/**
 * Reconciles a WebApp into its ConfigMap, Deployment and Service (JOSDK's workflow applies them with
 * server-side apply under the field manager {@value #NAME}), then writes the WebApp's status through
 * the status subresource. Being a {@link Cleaner} makes JOSDK put its finalizer on every WebApp: on
 * delete the workflow deletes the three dependents before the finalizer is removed.
 */
@ControllerConfiguration(name = WebAppReconciler.NAME)
@Workflow(dependents = {
    @Dependent(name = "configmap", type = ConfigMapDependent.class),
    @Dependent(name = "deployment", type = DeploymentDependent.class, dependsOn = "configmap"),
    @Dependent(name = "service", type = ServiceDependent.class)
})
public class WebAppReconciler implements Reconciler<WebApp>, Cleaner<WebApp> {
  /** The controller's name, also its field manager and the prefix of its finalizer. */
  public static final String NAME = "webapp-operator";

  @Override
  public UpdateControl<WebApp> reconcile(WebApp app, Context<WebApp> context) {
    int ready = context.getSecondaryResource(Deployment.class)
        .map(d -> d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas())
        .orElse(0);
    int wanted = app.getSpec().replicas() == null ? 1 : app.getSpec().replicas();
    boolean allReady = ready >= wanted;
    WebApp patch = new WebApp();
    patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(app.getMetadata().getName()).withNamespace(app.getMetadata().getNamespace()).build());
    patch.setStatus(new WebAppStatus(ready, app.getMetadata().getGeneration(), List.of(new WebAppStatus.Condition(
        "Ready", allReady ? "True" : "False", allReady ? "AllReplicasReady" : "ReplicasNotReady",
        ready + " of " + wanted + " replicas ready"))));
    return UpdateControl.patchStatus(patch);
  }

  @Override
  public DeleteControl cleanup(WebApp app, Context<WebApp> context) {
    // The workflow has already deleted the dependents (they are Deleters) when this runs.
    return DeleteControl.defaultDelete();
  }
}
