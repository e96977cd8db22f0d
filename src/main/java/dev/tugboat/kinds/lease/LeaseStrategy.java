package dev.tugboat.kinds.lease;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Leases (coordination.k8s.io/v1), with Kubernetes' ValidateLease: a positive duration, transitions
 * not negative, times that are times, and a strategy only among those Kubernetes knows. No protobuf
 * messages (client-java-proto has none for this group): JSON and YAML, as client-go's leader
 * election and fabric8 send.
 */
public final class LeaseStrategy extends TypedStrategy<Lease> {
  public static final ResourceType TYPE = new ResourceType("coordination.k8s.io", "v1", "Lease", "leases", "lease",
      List.of(), true, List.of(), List.of(), Lease.class);
  private static final Printer PRINTER = new LeasePrinter();
  private static final List<String> STRATEGIES = List.of("OldestEmulationVersion");

  public LeaseStrategy() {
    super(TYPE, Lease.class);
  }

  @Override
  protected void validate(Lease lease, List<FieldError> e) {
    Lease.Spec s = lease.spec();
    if (s == null) return;
    if (s.leaseDurationSeconds() != null) Validation.positive(e, "spec.leaseDurationSeconds", s.leaseDurationSeconds());
    Validation.nonNegative(e, "spec.leaseTransitions", s.leaseTransitions());
    time(e, "spec.acquireTime", s.acquireTime());
    time(e, "spec.renewTime", s.renewTime());
    if (s.strategy() != null && !STRATEGIES.contains(s.strategy())) {
      e.add(FieldError.notSupported("spec.strategy", s.strategy(), STRATEGIES));
    }
    if (s.preferredHolder() != null && s.strategy() == null) {
      e.add(FieldError.forbidden("spec.preferredHolder", "may only be specified if `strategy` is defined"));
    }
  }

  private static void time(List<FieldError> e, String path, String value) {
    if (value == null) return;
    try {
      java.time.OffsetDateTime.parse(value);
    } catch (DateTimeParseException ex) {
      e.add(FieldError.invalid(path, value, "must be an RFC 3339 time with microseconds"));
    }
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
