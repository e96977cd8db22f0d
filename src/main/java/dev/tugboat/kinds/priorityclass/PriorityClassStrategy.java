package dev.tugboat.kinds.priorityclass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Status;
import io.kubernetes.client.proto.V1Scheduling;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * PriorityClasses (scheduling.k8s.io/v1), with Kubernetes' ValidatePriorityClass and its priority
 * admission plugin: a value no higher than {@value PriorityClass#HIGHEST_USER_DEFINABLE} unless the
 * class is one of the built-in {@code system-} classes (exactly as built in), value and
 * preemptionPolicy immutable, at most one {@code globalDefault} (a second is 403, as Kubernetes),
 * and the built-in classes never deleted.
 */
public final class PriorityClassStrategy extends TypedStrategy<PriorityClass> {
  public static final ResourceType TYPE = new ResourceType("scheduling.k8s.io", "v1", "PriorityClass",
      "priorityclasses", "priorityclass", List.of("pc"), false, List.of(), List.of(), PriorityClass.class);
  private static final Printer PRINTER = new PriorityClassPrinter();
  private static final List<String> POLICIES = List.of(PriorityClass.PREEMPT_LOWER, PriorityClass.NEVER);

  public PriorityClassStrategy() {
    super(TYPE, PriorityClass.class);
  }

  @Override
  public List<String> admissionReads() {
    return List.of("PriorityClass");
  }

  @Override
  public Admission admit(ObjectNode current, ObjectNode candidate, ObjectNode reads) {
    Admission admitted = super.admit(current, candidate);
    if (admitted.failure() != null || reads == null || !PriorityClass.isGlobalDefault(admitted.object())) return admitted;
    String name = admitted.object().path("metadata").path("name").asText();
    for (JsonNode other : reads.path("PriorityClass")) {
      String otherName = other.path("metadata").path("name").asText();
      if (!otherName.equals(name) && PriorityClass.isGlobalDefault(other)) {
        return Admission.refused(Status.forbidden("priorityclasses.scheduling.k8s.io \"" + name + "\" is forbidden: "
            + "PriorityClass " + otherName + " is already marked as default. Only one default can exist"));
      }
    }
    return admitted;
  }

  @Override
  protected PriorityClass defaults(PriorityClass pc) {
    if (pc.preemptionPolicy() != null) return pc;
    return new PriorityClass(pc.apiVersion(), pc.kind(), pc.metadata(), pc.value(), pc.globalDefault(), pc.description(),
        PriorityClass.PREEMPT_LOWER);
  }

  @Override
  protected void validate(PriorityClass pc, List<FieldError> e) {
    String name = pc.metadata().name();
    if (pc.value() == null) {
      e.add(FieldError.required("value", null));
    } else if (name != null && name.startsWith(PriorityClass.SYSTEM_PREFIX)) {
      Integer builtIn = PriorityClass.BUILT_IN.get(name);
      if (builtIn == null) {
        e.add(FieldError.forbidden("metadata.name", "priority class names with '" + PriorityClass.SYSTEM_PREFIX
            + "' prefix are reserved for system use only. error: priority class " + name + " is not known"));
      } else if (!builtIn.equals(pc.value())) {
        e.add(FieldError.forbidden("value", "value of " + name + " must be " + builtIn));
      }
    } else if (pc.value() > PriorityClass.HIGHEST_USER_DEFINABLE) {
      e.add(FieldError.forbidden("value", "maximum allowed value of a user defined priority is "
          + PriorityClass.HIGHEST_USER_DEFINABLE));
    }
    if (!POLICIES.contains(pc.preemptionPolicy())) e.add(FieldError.notSupported("preemptionPolicy", pc.preemptionPolicy(), POLICIES));
  }

  @Override
  protected void validateUpdate(PriorityClass current, PriorityClass updated, List<FieldError> e) {
    if (!Objects.equals(current.value(), updated.value())) e.add(FieldError.forbidden("value", "may not be changed in an update."));
    if (!Objects.equals(current.preemptionPolicy(), updated.preemptionPolicy())) {
      e.add(FieldError.invalid("preemptionPolicy", updated.preemptionPolicy(), "field is immutable"));
    }
  }

  @Override
  public String undeletable(String namespace, String name) {
    return PriorityClass.BUILT_IN.containsKey(name) ? "the built-in priority class " + name + " cannot be deleted" : null;
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Scheduling.PriorityClass.class, V1Scheduling.PriorityClassList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
