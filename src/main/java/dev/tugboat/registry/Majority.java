package dev.tugboat.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Which side of a partition this member is on, counted as the keep-majority Split Brain Resolver
 * counts: the Up and Leaving members, itself included, and which of them it cannot reach.
 */
public final class Majority {
  private Majority() {}

  /**
   * Whether this member reaches fewer than half of the Up and Leaving members (itself included), so
   * that the Split Brain Resolver will down it: it stops renewing its shard leases' session and its
   * API refuses writes. A tie is not a minority here, unlike for fenced pods: the shard leases stay
   * safe either way (no member takes a shard while its owner's session lives), and the side the
   * resolver keeps then serves on without a pause.
   */
  public static boolean inMinority(Cluster cluster) {
    CurrentClusterState state = cluster.state();
    List<Member> members = counted(state);
    Member self = cluster.selfMember();
    if (!members.contains(self)) return false; // joining or leaving: not for this check to decide
    long reachable = members.stream().filter(m -> !state.getUnreachable().contains(m)).count();
    return reachable * 2 < members.size();
  }

  /** The members the Split Brain Resolver counts: Up and Leaving. */
  public static List<Member> counted(CurrentClusterState state) {
    List<Member> counted = new ArrayList<>();
    for (Member m : state.getMembers()) {
      if (m.status().equals(MemberStatus.up()) || m.status().equals(MemberStatus.leaving())) counted.add(m);
    }
    return counted;
  }
}
