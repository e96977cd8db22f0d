package dev.tugboat.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.ResourceType;
import dev.tugboat.registry.ObjectEntity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorIdentity;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.Identify;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@code GET /tugboat/v1/cluster}: the Pekko cluster as this member sees it (members, their roles
 * and status, who is unreachable, the leader), where each cluster singleton runs right now (asked
 * of the members, not inferred), and how each kind's shards and entities are spread over them.
 */
final class ClusterRoutes extends AllDirectives {
  /** How long singletons have to answer an Identify; every answering member replies well within it. */
  private static final Duration IDENTIFY_WINDOW = Duration.ofMillis(700);
  private static final Duration STATS_TIMEOUT = Duration.ofSeconds(3);
  private static final String SINGLETON_MANAGER = "singletonManager";

  private final ActorSystem<?> system;

  ClusterRoutes(ActorSystem<?> system) {
    this.system = system;
  }

  Route routes() {
    return pathPrefix("tugboat", () -> pathPrefix("v1", () -> path("cluster", () -> get(() ->
        onSuccess(status(), body -> complete(Responses.json(200, body)))))));
  }

  CompletionStage<ObjectNode> status() {
    Cluster cluster = Cluster.get(system);
    var state = cluster.state();
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("kind", "ClusterStatus");
    body.put("apiVersion", "tugboat.dev/v1");
    body.put("self", cluster.selfMember().address().toString());
    body.put("leader", state.getLeader() == null ? "" : state.getLeader().toString());
    ArrayNode members = body.putArray("members");
    List<Address> up = new ArrayList<>();
    for (Member m : state.getMembers()) {
      ObjectNode member = members.addObject();
      member.put("address", m.address().toString());
      member.put("status", m.status().toString());
      ArrayNode roles = member.putArray("roles");
      m.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().forEach(roles::add);
      member.put("dataCenter", m.dataCenter());
      boolean reachable = !state.getUnreachable().contains(m);
      member.put("reachable", reachable);
      if (m.status() == MemberStatus.up() && reachable) up.add(m.address());
    }
    CompletionStage<ArrayNode> singletons = singletons(up);
    CompletionStage<ArrayNode> shards = shards();
    return singletons.thenCombine(shards, (s, sh) -> {
      body.set("singletons", s);
      body.set("shards", sh);
      return body;
    });
  }

  /**
   * Identifies the children of {@code /system/singletonManager*} on every member: a typed singleton
   * runs as the child its manager names after it, on one member only, so the answers say where.
   */
  private CompletionStage<ArrayNode> singletons(List<Address> members) {
    var collected = Source.<Object>actorRef(m -> java.util.Optional.empty(), m -> java.util.Optional.empty(), 256,
            OverflowStrategy.dropNew())
        .takeWithin(IDENTIFY_WINDOW)
        .preMaterialize(system);
    ActorRef replyTo = collected.first();
    for (Address member : members) {
      system.classicSystem().actorSelection(member + "/system/" + SINGLETON_MANAGER + "*/*")
          .tell(new Identify("singleton"), replyTo);
    }
    Address self = Cluster.get(system).selfMember().address();
    return collected.second().runWith(Sink.seq(), system).thenApply(replies -> {
      Map<String, String> where = new TreeMap<>();
      for (Object reply : replies) {
        // Managers also have anonymous helper children ($a, ...): those are not singletons.
        if (reply instanceof ActorIdentity id && id.getActorRef().isPresent()
            && !id.getActorRef().get().path().name().startsWith("$")) {
          var path = id.getActorRef().get().path();
          String name = path.name();
          Address at = path.address().hasLocalScope() ? self : path.address();
          where.put(name, at.toString());
        }
      }
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      where.forEach((name, at) -> out.addObject().put("name", name).put("member", at));
      return out;
    });
  }

  /** Per kind: shards and entities on each member's region, from cluster sharding's own stats. */
  private CompletionStage<ArrayNode> shards() {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    List<CompletableFuture<Void>> asks = new ArrayList<>();
    for (ResourceType type : ResourceType.all()) {
      ObjectNode kind = out.addObject();
      kind.put("kind", type.kind());
      asks.add(AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.ClusterShardingStats>ask(
              ClusterSharding.get(system).shardState(),
              reply -> new GetClusterShardingStats(ObjectEntity.typeKey(type.kind()), STATS_TIMEOUT, reply),
              STATS_TIMEOUT.plusSeconds(1), system.scheduler())
          .thenAccept(stats -> {
            ArrayNode regions = kind.putArray("regions");
            int shardCount = 0;
            long entityCount = 0;
            for (var e : new TreeMap<>(toStrings(stats.getRegions())).entrySet()) {
              ShardRegion.ShardRegionStats region = e.getValue();
              long entities = region.getStats().values().stream().mapToLong(n -> ((Number) n).longValue()).sum();
              regions.addObject().put("member", e.getKey()).put("shards", region.getStats().size())
                  .put("entities", entities).put("failedShards", region.getFailed().size());
              shardCount += region.getStats().size();
              entityCount += entities;
            }
            kind.put("shards", shardCount);
            kind.put("entities", entityCount);
          })
          .exceptionally(e -> {
            kind.put("error", "sharding stats did not arrive: " + e.getMessage());
            return null;
          })
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> out);
  }

  private static Map<String, ShardRegion.ShardRegionStats> toStrings(Map<Address, ShardRegion.ShardRegionStats> m) {
    Map<String, ShardRegion.ShardRegionStats> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k.toString(), v));
    return out;
  }
}
