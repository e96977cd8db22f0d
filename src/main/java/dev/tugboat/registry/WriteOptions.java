package dev.tugboat.registry;

/**
 * How a write is made, besides what it writes: who makes it (its field manager, recorded in
 * {@code metadata.managedFields}; null for Tugboat's own components, whose writes are not tracked),
 * whether it is only tried ({@code dryRun}: validated, defaulted and admitted, answered as if done,
 * never persisted nor published), and whether an apply takes fields other managers own
 * ({@code force}).
 */
public record WriteOptions(String fieldManager, boolean dryRun, boolean force) {
  /** An untracked, real write. */
  public static final WriteOptions NONE = new WriteOptions(null, false, false);

  public static WriteOptions by(String fieldManager) {
    return new WriteOptions(fieldManager, false, false);
  }

  public WriteOptions withDryRun(boolean dryRun) {
    return new WriteOptions(fieldManager, dryRun, force);
  }
}
