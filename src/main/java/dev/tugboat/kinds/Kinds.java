package dev.tugboat.kinds;

import dev.tugboat.kind.KindStrategy;
import dev.tugboat.kinds.configmap.ConfigMapStrategy;
import dev.tugboat.kinds.controllerrevision.ControllerRevisionStrategy;
import dev.tugboat.kinds.crd.CustomResourceDefinitionStrategy;
import dev.tugboat.kinds.clusterrole.ClusterRoleStrategy;
import dev.tugboat.kinds.clusterrolebinding.ClusterRoleBindingStrategy;
import dev.tugboat.kinds.cronjob.CronJobStrategy;
import dev.tugboat.kinds.daemonset.DaemonSetStrategy;
import dev.tugboat.kinds.deployment.DeploymentStrategy;
import dev.tugboat.kinds.endpoints.EndpointsStrategy;
import dev.tugboat.kinds.endpointslice.EndpointSliceStrategy;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscalerStrategy;
import dev.tugboat.kinds.event.EventStrategy;
import dev.tugboat.kinds.ingress.IngressStrategy;
import dev.tugboat.kinds.ingressclass.IngressClassStrategy;
import dev.tugboat.kinds.job.JobStrategy;
import dev.tugboat.kinds.limitrange.LimitRangeStrategy;
import dev.tugboat.kinds.lease.LeaseStrategy;
import dev.tugboat.kinds.mutatingwebhookconfiguration.MutatingWebhookConfigurationStrategy;
import dev.tugboat.kinds.namespace.NamespaceStrategy;
import dev.tugboat.kinds.persistentvolume.PersistentVolumeStrategy;
import dev.tugboat.kinds.persistentvolumeclaim.PersistentVolumeClaimStrategy;
import dev.tugboat.kinds.node.NodeStrategy;
import dev.tugboat.kinds.pod.PodStrategy;
import dev.tugboat.kinds.poddisruptionbudget.PodDisruptionBudgetStrategy;
import dev.tugboat.kinds.priorityclass.PriorityClassStrategy;
import dev.tugboat.kinds.replicaset.ReplicaSetStrategy;
import dev.tugboat.kinds.resourcequota.ResourceQuotaStrategy;
import dev.tugboat.kinds.role.RoleStrategy;
import dev.tugboat.kinds.rolebinding.RoleBindingStrategy;
import dev.tugboat.kinds.secret.SecretStrategy;
import dev.tugboat.kinds.service.ServiceStrategy;
import dev.tugboat.kinds.serviceaccount.ServiceAccountStrategy;
import dev.tugboat.kinds.statefulset.StatefulSetStrategy;
import dev.tugboat.kinds.storageclass.StorageClassStrategy;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicyStrategy;
import dev.tugboat.kinds.validatingadmissionpolicybinding.ValidatingAdmissionPolicyBindingStrategy;
import dev.tugboat.kinds.validatingwebhookconfiguration.ValidatingWebhookConfigurationStrategy;
import dev.tugboat.model.ResourceType;
import java.util.List;

/**
 * Every built-in kind, one line each: the only place a new kind is registered. Its package under
 * {@code dev.tugboat.kinds} holds the rest (docs/architecture.md, "Adding a kind").
 */
public final class Kinds implements ResourceType.Provider {
  private static final List<KindStrategy> BUILT_IN = List.of(
      new NamespaceStrategy(),
      new NodeStrategy(),
      new PodStrategy(),
      new ServiceStrategy(),
      new EndpointsStrategy(),
      new EventStrategy(),
      new DeploymentStrategy(),
      new ReplicaSetStrategy(),
      new DaemonSetStrategy(),
      new StatefulSetStrategy(),
      new ControllerRevisionStrategy(),
      new JobStrategy(),
      new CronJobStrategy(),
      new HorizontalPodAutoscalerStrategy(),
      new ConfigMapStrategy(),
      new SecretStrategy(),
      new ServiceAccountStrategy(),
      new PersistentVolumeStrategy(),
      new PersistentVolumeClaimStrategy(),
      new StorageClassStrategy(),
      new ResourceQuotaStrategy(),
      new LimitRangeStrategy(),
      new IngressStrategy(),
      new IngressClassStrategy(),
      // after the apps group's kinds: discovery lists groups in this order, and kubectl expects apps first
      new EndpointSliceStrategy(),
      new CustomResourceDefinitionStrategy(),
      new LeaseStrategy(),
      new PriorityClassStrategy(),
      new PodDisruptionBudgetStrategy(),
      new RoleStrategy(),
      new ClusterRoleStrategy(),
      new RoleBindingStrategy(),
      new ClusterRoleBindingStrategy(),
      new MutatingWebhookConfigurationStrategy(),
      new ValidatingWebhookConfigurationStrategy(),
      new ValidatingAdmissionPolicyStrategy(),
      new ValidatingAdmissionPolicyBindingStrategy());

  /** The strategies of the built-in kinds, in the order discovery lists them. */
  public static List<KindStrategy> strategies() {
    return BUILT_IN;
  }

  /** For {@link ResourceType}'s lookups (found through ServiceLoader). */
  @Override
  public List<ResourceType> builtIn() {
    // a kind's stored version first: lookups by kind alone find it
    return BUILT_IN.stream().flatMap(s -> java.util.stream.Stream.concat(java.util.stream.Stream.of(s.type()),
        s.otherVersions().stream().map(dev.tugboat.kind.VersionConversion::type))).toList();
  }
}
