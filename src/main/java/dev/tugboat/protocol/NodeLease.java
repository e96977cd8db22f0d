package dev.tugboat.protocol;

import dev.tugboat.registry.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * How a node agent tells the node lifecycle controller it is alive, without a write to the store.
 *
 * <p>A persisted heartbeat costs one event per node per interval: at 1,000 nodes that was half of
 * every write Tugboat made. Kubernetes moved its heartbeats out of the Node status into a small
 * Lease object for the same reason (KEP-589) and reports the status only when it changes or every
 * 5 minutes; so does Tugboat ({@code tugboat.node.status-report-interval}). Tugboat goes one step further: a renewal is a message to whoever runs the lifecycle
 * controller (found through the receptionist), which keeps the time it last heard from each node in
 * memory. A controller that has just started knows nothing yet and gives every node its startup
 * grace period, as it did when it read heartbeats from the store.
 */
public final class NodeLease {
  private NodeLease() {}

  /** Under this key the node lifecycle controller takes renewals. */
  public static final ServiceKey<Renew> HOLDER = ServiceKey.create(Renew.class, "node-lease-holder");

  /** The agent of {@code node} is alive. */
  public record Renew(String node, ActorRef<Renewed> replyTo) implements CborSerializable {}

  /**
   * {@code statusCurrent} false: the Node in the store does not say Ready (the controller marked it
   * Unknown while the agent was silent), so the agent reports its status now rather than at its
   * next periodic report.
   */
  public record Renewed(boolean statusCurrent) implements CborSerializable {}
}
