package dev.tugboat.kinds.pod;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.SelectableField;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.Defaults;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.Pod;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1;
import java.util.List;
import java.util.Optional;

/** Pods (core/v1): bound by the scheduler, run by a node agent, deleted gracefully once bound. */
public final class PodStrategy extends TypedStrategy<Pod> {
  public static final ResourceType TYPE = new ResourceType("", "v1", "Pod", "pods", "pod", List.of("po"), true,
      List.of("all"), List.of("status", "log", "binding", "eviction", "exec", "attach", "portforward"), Pod.class);
  private static final Printer PRINTER = new PodPrinter();
  private static final List<SelectableField> FIELDS = List.of(SelectableField.of("spec.nodeName"),
      SelectableField.of("spec.restartPolicy"), SelectableField.of("spec.schedulerName"),
      SelectableField.of("spec.serviceAccountName"), SelectableField.of("status.phase"),
      SelectableField.of("status.podIP"));

  public PodStrategy() {
    super(TYPE, Pod.class);
  }

  @Override
  public List<String> admissionReads() {
    return List.of("PriorityClass", "ServiceAccount");
  }

  /**
   * A new pod's priority comes from its PriorityClass (Kubernetes' Priority admission plugin,
   * {@link PodPriority}); a refusal there is a 403, as in Kubernetes. Null reads (a write sent past
   * the registry) leave the pod as it is.
   */
  @Override
  public Admission admit(ObjectNode current, ObjectNode candidate, ObjectNode reads) {
    if (current != null || reads == null) return super.admit(current, candidate);
    Optional<dev.tugboat.model.Status> noAccount = PodServiceAccount.missing(candidate, reads.path("ServiceAccount"));
    if (noAccount.isPresent()) return Admission.refused(noAccount.get());
    PodPriority.Resolved resolved = PodPriority.resolve(candidate, reads.path("PriorityClass"));
    if (resolved.refusal() != null) return Admission.refused(resolved.refusal());
    return super.admit(null, resolved.pod());
  }

  @Override
  protected Pod defaults(Pod pod) {
    return Defaults.pod(pod);
  }

  @Override
  protected void validate(Pod pod, List<FieldError> errors) {
    Validation.validatePod(errors, pod);
  }

  @Override
  protected void validateUpdate(Pod current, Pod updated, List<FieldError> errors) {
    Validation.validatePodUpdate(errors, current, updated);
  }

  /**
   * A Pod bound to a node terminates gracefully: its agent sends SIGTERM, waits up to the grace
   * period, and then confirms the delete with grace 0. A pod no node runs goes at once.
   */
  @Override
  public long deletionGracePeriod(ObjectNode current, Long requested) {
    if (current.path("spec").path("nodeName").asText("").isEmpty()) return 0;
    if (requested != null) return requested;
    return current.path("spec").path("terminationGracePeriodSeconds").asLong(30);
  }

  @Override
  public List<SelectableField> selectableFields() {
    return FIELDS;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1.Pod.class, V1.PodList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
