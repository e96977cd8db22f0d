package dev.tugboat.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.ObjectMeta;
import dev.tugboat.registry.Majority;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The contract that lets Tugboat replace a StatefulSet pod whose node stopped answering, which
 * Kubernetes never does: it cannot know that the old pod is dead, and two pods with one identity
 * (one writer of a database's files) must never run at once.
 *
 * <p>A node agent runs its fenced pods only while its member is in the cluster's majority, the side
 * the Split Brain Resolver keeps. Every heartbeat it confirms this in a file that the pod's sandbox
 * watches; the sandbox is the PID-namespace init of the pod's containers, so when the file goes
 * stale (the agent died, froze, or is cut off from the majority) the sandbox exits and the kernel
 * kills every process of the pod. A downed agent also kills them itself. The node lifecycle
 * controller evicts a fenced pod only after the node's member has left the membership (downed by
 * the Split Brain Resolver, or crashed and removed) and a margin has passed that outlasts the
 * sandbox's watch: by then the old pod is surely dead.
 */
public final class Fencing {
  private Fencing() {}

  /** On a Node: the Pekko address of the member whose agent runs it. */
  public static final String MEMBER_ANNOTATION = "tugboat.dev/member";

  /** Pods whose controller is a StatefulSet: the kind whose pods own an identity and its data. */
  public static boolean fenced(List<ObjectMeta.OwnerReference> owners) {
    if (owners == null) return false;
    return owners.stream().anyMatch(o -> Boolean.TRUE.equals(o.controller()) && "StatefulSet".equals(o.kind()));
  }

  /** {@link #fenced(List)} of a pod as JSON. */
  public static boolean fenced(JsonNode pod) {
    for (JsonNode o : pod.path("metadata").path("ownerReferences")) {
      if (o.path("controller").asBoolean(false) && "StatefulSet".equals(o.path("kind").asText())) return true;
    }
    return false;
  }

  /**
   * Whether a member that sees {@code members} (the Up and Leaving ones, itself included) with
   * {@code unreachable} among them is on the side the keep-majority Split Brain Resolver keeps: more
   * than half reachable. A tie counts as not: which half survives a tie is decided by addresses,
   * and a fence that errs keeps a pod down a little longer, never running twice.
   */
  public static <M> boolean inMajority(M self, Collection<M> members, Set<M> unreachable) {
    if (!members.contains(self) || unreachable.contains(self)) return false;
    long reachable = members.stream().filter(m -> !unreachable.contains(m)).count();
    return reachable * 2 > members.size();
  }

  /**
   * {@link #inMajority(Object, Collection, Set)} of this member now, counting the Up and Leaving
   * members: whether this node may run fenced pods. Read by the node fence every heartbeat.
   */
  public static boolean inMajority(Cluster cluster) {
    CurrentClusterState state = cluster.state();
    return inMajority(cluster.selfMember(), Majority.counted(state), state.getUnreachable());
  }
}
