package dev.tugboat.controller.hpa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler.Current;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler.Metric;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler.MetricStatus;
import dev.tugboat.kinds.hpa.HorizontalPodAutoscaler.MetricTarget;
import dev.tugboat.model.Quantity;
import dev.tugboat.protocol.ResourceUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every metric of an HPA evaluated against the target's pods and their usage, as Kubernetes'
 * {@code computeReplicasForMetrics}: the highest replica count any metric asks for, each metric's
 * current value for the status, and, when no count can be had, why. Pure.
 *
 * @param replicas the highest count a metric asks for, or -1 when none can be computed (or some
 *     metric failed and the valid ones would scale down: Kubernetes then does not scale)
 * @param metricName the metric that asked for it, as Events word it ("cpu resource utilization
 *     (percentage of request)")
 */
public record MetricsEvaluation(int replicas, String metricName, List<MetricStatus> statuses, String failureReason,
    String failure) {

  public static MetricsEvaluation of(List<Metric> metrics, int current, List<ObjectNode> pods,
      List<ResourceUsage.NodeUsage> usage, ReplicaCalculator.Settings settings, Instant now) {
    Map<String, ResourceUsage.PodUsage> byUid = new HashMap<>();
    usage.forEach(node -> node.pods().forEach(p -> byUid.put(p.uid(), p)));
    int replicas = -1;
    String name = "";
    int invalid = 0;
    String failureReason = null;
    String failure = null;
    List<MetricStatus> statuses = new ArrayList<>();
    for (Metric m : metrics) {
      boolean container = m.type().equals("ContainerResource");
      String resource = container ? m.containerResource().name() : m.resource().name();
      String containerName = container ? m.containerResource().container() : null;
      MetricTarget target = container ? m.containerResource().target() : m.resource().target();
      boolean cpu = resource.equals("cpu");
      List<ReplicaCalculator.PodInfo> infos = new ArrayList<>();
      Map<String, ReplicaCalculator.Sample> samples = new HashMap<>();
      for (ObjectNode pod : pods) {
        ReplicaCalculator.PodInfo info = podInfo(pod, resource, containerName);
        infos.add(info);
        ResourceUsage.PodUsage u = byUid.get(pod.path("metadata").path("uid").asText());
        Long value = u == null ? null : value(u, cpu, containerName);
        if (value != null) {
          samples.put(info.name(), new ReplicaCalculator.Sample(value, Instant.ofEpochMilli(u.timestampMillis()),
              Duration.ofMillis(u.windowMillis())));
        }
      }
      String label = resource + (container ? " container resource" : " resource");
      try {
        ReplicaCalculator.Result r;
        Current measured;
        if ("Utilization".equals(target.type())) {
          r = ReplicaCalculator.utilization(current, target.averageUtilization(), cpu, infos, samples, settings, now);
          measured = new Current(r.utilization(), quantity(r.average(), cpu));
          label += " utilization (percentage of request)";
        } else {
          long goal = target.averageValue().milliValue();
          r = ReplicaCalculator.averageValue(current, goal, cpu, infos, samples, settings, now);
          measured = new Current(null, quantity(r.average(), cpu));
        }
        statuses.add(status(m, resource, containerName, measured));
        if (r.replicas() > replicas) {
          replicas = r.replicas();
          name = label;
        }
      } catch (ReplicaCalculator.MetricsUnavailable e) {
        invalid++;
        statuses.add(status(m, resource, containerName, null));
        failureReason = container ? "FailedGetContainerResourceMetric" : "FailedGetResourceMetric";
        failure = "the HPA was unable to compute the replica count: failed to get " + resource
            + ("Utilization".equals(target.type()) ? " utilization: " : " usage: ") + e.getMessage();
      }
    }
    // As Kubernetes: with a metric that failed, scale up on the others, never down.
    if (invalid >= metrics.size() || (invalid > 0 && replicas < current)) {
      return new MetricsEvaluation(-1, "", List.copyOf(statuses), failureReason, failure);
    }
    return new MetricsEvaluation(replicas, name, List.copyOf(statuses), null, null);
  }

  private static MetricStatus status(Metric m, String resource, String container, Current current) {
    return container == null
        ? new MetricStatus(m.type(), new HorizontalPodAutoscaler.ResourceStatus(resource, current), null)
        : new MetricStatus(m.type(), null, new HorizontalPodAutoscaler.ContainerResourceStatus(resource, container, current));
  }

  /** Cores in thousandths as {@code 250m}; bytes (thousandths of them here) as a whole number of bytes. */
  private static Quantity quantity(long milli, boolean cpu) {
    return cpu ? Quantity.ofMilli(milli) : Quantity.of(milli / 1000);
  }

  /** The pod's (or one container's) usage in thousandths: millicores, or millibytes. */
  private static Long value(ResourceUsage.PodUsage u, boolean cpu, String container) {
    long total = 0;
    boolean found = false;
    for (ResourceUsage.ContainerUsage c : u.containers()) {
      if (container != null && !container.equals(c.name())) continue;
      found = true;
      total += cpu ? c.cpuNanoCores() / 1_000_000 : c.memoryBytes() * 1000;
    }
    return found ? total : null;
  }

  /** The pod as the calculation sees it: its state, readiness, start and request of {@code resource}. */
  static ReplicaCalculator.PodInfo podInfo(JsonNode pod, String resource, String container) {
    JsonNode status = pod.path("status");
    Boolean ready = null;
    Instant readySince = null;
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        ready = c.path("status").asText().equals("True");
        readySince = time(c.path("lastTransitionTime"));
      }
    }
    Long requests = 0L;
    JsonNode containers = pod.path("spec").path("containers");
    for (JsonNode c : containers) {
      if (container != null && !container.equals(c.path("name").asText())) continue;
      JsonNode q = c.path("resources").path("requests").path(resource);
      if (q.isMissingNode() || q.isNull()) q = c.path("resources").path("limits").path(resource); // Kubernetes defaults requests to limits
      if (q.isMissingNode() || q.isNull()) {
        requests = null;
        break;
      }
      try {
        requests += Quantity.parse(q.asText()).milliValue();
      } catch (IllegalArgumentException e) {
        requests = null;
        break;
      }
    }
    return new ReplicaCalculator.PodInfo(pod.path("metadata").path("name").asText(),
        pod.path("metadata").hasNonNull("deletionTimestamp"), status.path("phase").asText(""), ready, readySince,
        time(status.path("startTime")), requests);
  }

  private static Instant time(JsonNode text) {
    if (!text.isTextual()) return null;
    try {
      return Instant.parse(text.asText());
    } catch (RuntimeException e) {
      return null;
    }
  }
}
