package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tug cluster}: the Pekko cluster behind the API: its members (status, roles, reachability,
 * the leader), where each singleton runs, and how each kind's shards and entities are spread.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Show the cluster's members, singletons and shards.")
final class ClusterCommand implements Callable<Integer> {
  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    JsonNode c = options.client().get("/tugboat/v1/cluster");
    PrintWriter out = spec.commandLine().getOut();
    String leader = c.path("leader").asText();
    String self = c.path("self").asText();
    TextTable members = new TextTable().add(List.of("MEMBER", "STATUS", "ROLES", "REACHABLE", "LEADER", "SERVING THIS API"));
    for (JsonNode m : c.path("members")) {
      List<String> roles = new ArrayList<>();
      m.path("roles").forEach(r -> roles.add(r.asText()));
      String address = m.path("address").asText();
      members.add(List.of(address, m.path("status").asText(), String.join(",", roles),
          m.path("reachable").asBoolean() ? "yes" : "NO", address.equals(leader) ? "*" : "", address.equals(self) ? "*" : ""));
    }
    members.lines().forEach(out::println);
    out.println();
    TextTable singletons = new TextTable().add(List.of("SINGLETON", "RUNS ON"));
    c.path("singletons").forEach(s -> singletons.add(List.of(s.path("name").asText(), s.path("member").asText())));
    if (c.path("singletons").isEmpty()) singletons.add(List.of("<none found>", ""));
    singletons.lines().forEach(out::println);
    out.println();
    TextTable shards = new TextTable().add(List.of("KIND", "SHARDS", "ENTITIES", "SPREAD (member: shards/entities)"));
    for (JsonNode k : c.path("shards")) {
      List<String> spread = new ArrayList<>();
      k.path("regions").forEach(r -> spread.add(r.path("member").asText() + ": " + r.path("shards").asText() + "/"
          + r.path("entities").asText()));
      shards.add(List.of(k.path("kind").asText(), k.path("shards").asText("?"), k.path("entities").asText("?"),
          k.has("error") ? k.path("error").asText() : String.join(", ", spread)));
    }
    shards.lines().forEach(out::println);
    return 0;
  }
}
