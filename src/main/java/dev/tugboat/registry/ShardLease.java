package dev.tugboat.registry;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.coordination.lease.LeaseSettings;
import org.apache.pekko.coordination.lease.javadsl.Lease;

/**
 * The lease a shard is hosted under ({@code pekko.cluster.sharding.use-lease}), kept in Cassandra by
 * lightweight transactions, as pekko-management's Kubernetes lease keeps it in the Kubernetes API.
 * Pekko makes one per shard (named {@code <system>-shard-<kind>-<shard id>}); the member's
 * {@link ShardLeases} does the work. The owner is the member's incarnation (address and uid), not
 * Pekko's {@code host:port}: a restarted member is a new owner, and takes its old shards back only
 * as any other member would.
 */
public final class ShardLease extends Lease {
  private final LeaseSettings settings;
  private final ShardLeases leases;

  /** Made by Pekko's LeaseProvider, by reflection. */
  public ShardLease(LeaseSettings settings, ExtendedActorSystem system) {
    this.settings = settings;
    this.leases = ShardLeases.get(Adapter.toTyped(system));
  }

  @Override
  public LeaseSettings getSettings() {
    return settings;
  }

  @Override
  public CompletionStage<Boolean> acquire() {
    return acquire(reason -> { });
  }

  @Override
  public CompletionStage<Boolean> acquire(Consumer<Optional<Throwable>> leaseLostCallback) {
    return leases.acquire(settings.leaseName(), leaseLostCallback);
  }

  @Override
  public CompletionStage<Boolean> release() {
    return leases.release(settings.leaseName());
  }

  @Override
  public boolean checkLease() {
    return leases.holds(settings.leaseName());
  }
}
