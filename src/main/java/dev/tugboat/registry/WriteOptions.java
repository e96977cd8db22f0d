package dev.tugboat.registry;

/**
 * How a write is made, besides what it writes: who makes it (its field manager, recorded in
 * {@code metadata.managedFields}; null for Tugboat's own components, whose writes are not tracked),
 * whether it is only tried ({@code dryRun}: validated, defaulted and admitted, answered as if done,
 * never persisted nor published), whether an apply takes fields other managers own
 * ({@code force}), and the user it is made for ({@code requester}, which dynamic admission is told).
 */
public record WriteOptions(String fieldManager, boolean dryRun, boolean force, Requester requester) {
  /** An untracked, real write. */
  public static final WriteOptions NONE = new WriteOptions(null, false, false);

  public WriteOptions {
    requester = requester == null ? Requester.NONE : requester;
  }

  /** A write without a user (Tugboat's own). */
  public WriteOptions(String fieldManager, boolean dryRun, boolean force) {
    this(fieldManager, dryRun, force, Requester.NONE);
  }

  public static WriteOptions by(String fieldManager) {
    return new WriteOptions(fieldManager, false, false);
  }

  public WriteOptions withDryRun(boolean dryRun) {
    return new WriteOptions(fieldManager, dryRun, force, requester);
  }

  public WriteOptions withRequester(Requester requester) {
    return new WriteOptions(fieldManager, dryRun, force, requester);
  }

  /** The same write without field tracking: for rewriting an object whose managed fields are already computed. */
  WriteOptions untracked() {
    return new WriteOptions(null, dryRun, false, requester);
  }
}
