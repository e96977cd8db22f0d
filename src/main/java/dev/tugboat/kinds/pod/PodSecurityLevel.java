package dev.tugboat.kinds.pod;

import java.util.Locale;
import java.util.Optional;

/**
 * The three Pod Security Standards, from the most open to the most closed. Each level forbids
 * everything the one before it forbids, and more.
 */
public enum PodSecurityLevel {
  /** Anything goes: system pods that need the host (the DNS server, a storage agent). */
  PRIVILEGED,
  /** No known privilege escalation: no host namespaces, hostPath, privileged, added capabilities. */
  BASELINE,
  /** Current hardening practice: non-root, no privilege escalation, capabilities dropped, seccomp on. */
  RESTRICTED;

  /** The label value: {@code privileged}, {@code baseline} or {@code restricted}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The level a label value names, if it names one. */
  public static Optional<PodSecurityLevel> parse(String value) {
    if (value == null) return Optional.empty();
    return switch (value) {
      case "privileged" -> Optional.of(PRIVILEGED);
      case "baseline" -> Optional.of(BASELINE);
      case "restricted" -> Optional.of(RESTRICTED);
      default -> Optional.empty();
    };
  }
}
