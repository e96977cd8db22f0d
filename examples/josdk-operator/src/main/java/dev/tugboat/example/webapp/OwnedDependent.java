package dev.tugboat.example.webapp;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.Map;
import java.util.Optional;

/**
 * A dependent written with server-side apply that carries an owner reference to its WebApp and is
 * also deleted by the operator's finalizer. JOSDK's stock classes do one or the other
 * ({@code CRUDKubernetesDependentResource} leaves deletion to the garbage collector,
 * {@code CRUDNoGCKubernetesDependentResource} sets no owner reference); the example wants both, so the
 * finalizer's cleanup is seen to work and the owner reference is there for {@code kubectl tree} and GC.
 */
abstract class OwnedDependent<R extends HasMetadata> extends KubernetesDependentResource<R, WebApp>
    implements Creator<R, WebApp>, Updater<R, WebApp>, Deleter<WebApp> {

  OwnedDependent(Class<R> type) {
    super(type);
  }

  @Override
  protected boolean addOwnerReference() {
    return true;
  }

  /**
   * Finds the WebApp of a dependent by its owner reference. JOSDK picks this mapper only for
   * garbage-collected dependents and otherwise looks for its primary-name annotations, which it
   * writes only when it writes no owner reference: without this, a replica that did not create the
   * dependents itself (the one taking over from a dead leader) never finds them in its cache and
   * tries to create them again.
   */
  @Override
  protected Optional<SecondaryToPrimaryMapper<R>> getSecondaryToPrimaryMapper(EventSourceContext<WebApp> context) {
    return Optional.of(Mappers.fromOwnerReferences(context.getPrimaryResourceClass(), false));
  }

  /** The dependent's metadata: the WebApp's name and namespace, and the app label its pods select on. */
  static ObjectMeta meta(WebApp app) {
    return new ObjectMetaBuilder()
        .withName(app.getMetadata().getName())
        .withNamespace(app.getMetadata().getNamespace())
        .withLabels(labels(app))
        .build();
  }

  static Map<String, String> labels(WebApp app) {
    return Map.of("app.kubernetes.io/name", app.getMetadata().getName(),
        "app.kubernetes.io/managed-by", WebAppReconciler.NAME);
  }
}
