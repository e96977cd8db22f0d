package dev.tugboat.scheduler;

/**
 * Spreads the pods of one owner (a ReplicaSet) across nodes, so losing a node loses few replicas:
 * 100 on a node holding none of them, less the more it holds.
 */
public final class OwnerSpreadScore implements ScorePlugin {
  @Override
  public String name() {
    return "OwnerSpread";
  }

  @Override
  public int weight() {
    return 2;
  }

  @Override
  public long score(PodRequest pod, NodeSnapshot node) {
    if (pod.ownerUid() == null) return 100;
    return 100 / (1 + node.podsPerOwner().getOrDefault(pod.ownerUid(), 0));
  }
}
