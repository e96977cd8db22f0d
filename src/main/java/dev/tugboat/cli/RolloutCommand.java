package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.ResourceType;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tug rollout status|history|undo deploy/NAME} (or {@code ds/NAME}, {@code sts/NAME}): a
 * rollout, read from the status fields its controller writes and from its history, as kubectl reads
 * them: a Deployment's ReplicaSets (one per revision, numbered by the
 * {@code deployment.kubernetes.io/revision} annotation), a DaemonSet's or StatefulSet's
 * ControllerRevisions (whose {@code data} undo sends back as a strategic merge patch).
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
    description = "Watch, list or undo the rollouts of a Deployment, DaemonSet or StatefulSet.",
    subcommands = {RolloutCommand.StatusCommand.class, RolloutCommand.HistoryCommand.class, RolloutCommand.UndoCommand.class,
        RolloutCommand.RestartCommand.class})
final class RolloutCommand implements Runnable {
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String CHANGE_CAUSE = "kubernetes.io/change-cause";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The workload a rollout command names: {@code deploy/web}, {@code ds web}, or {@code web} (a Deployment). */
  record Target(ResourceType type, String name) {
    String id() {
      return type.kind().toLowerCase(java.util.Locale.ROOT) + "." + type.group() + "/" + name;
    }

    boolean deployment() {
      return type.kind().equals("Deployment");
    }
  }

  private static final List<String> ROLLABLE = List.of("Deployment", "DaemonSet", "StatefulSet");

  static Target target(String first, String second) {
    String kind = second != null ? first : first.contains("/") ? first.split("/", 2)[0] : "deployments";
    String name = second != null ? second : first.contains("/") ? first.split("/", 2)[1] : first;
    ResourceType type = Resources.type(kind);
    if (!ROLLABLE.contains(type.kind())) {
      throw new CliException("error: no rollouts for " + type.plural() + ": deployments, daemonsets and statefulsets have them");
    }
    return new Target(type, name);
  }

  /** A DaemonSet's or StatefulSet's ControllerRevisions (controlled by its uid), oldest revision first. */
  static List<JsonNode> controllerRevisions(ApiClient api, String namespace, JsonNode workload) {
    String uid = workload.path("metadata").path("uid").asText();
    List<JsonNode> owned = new ArrayList<>();
    for (JsonNode r : api.get(Resources.collection(Resources.type("controllerrevisions"), namespace)).path("items")) {
      for (JsonNode owner : r.path("metadata").path("ownerReferences")) {
        if (owner.path("uid").asText().equals(uid) && owner.path("controller").asBoolean()) owned.add(r);
      }
    }
    owned.sort(Comparator.comparingLong(r -> r.path("revision").asLong(0)));
    return owned;
  }

  /** The Deployment's ReplicaSets (owned by its uid), oldest revision first. */
  static List<JsonNode> replicaSets(ApiClient api, String namespace, JsonNode deployment) {
    String uid = deployment.path("metadata").path("uid").asText();
    List<JsonNode> owned = new ArrayList<>();
    for (JsonNode rs : api.get(Resources.collection(Resources.type("rs"), namespace)).path("items")) {
      for (JsonNode owner : rs.path("metadata").path("ownerReferences")) {
        if (owner.path("uid").asText().equals(uid)) owned.add(rs);
      }
    }
    owned.sort(Comparator.comparingLong(RolloutCommand::revision));
    return owned;
  }

  static long revision(JsonNode rs) {
    try {
      return Long.parseLong(rs.path("metadata").path("annotations").path(REVISION).asText("0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Print a Deployment's rollout progress until it completes; exit 1 if it fails or times out.")
  static final class StatusCommand implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Spec CommandSpec spec;
    @Parameters(index = "0") String first;
    @Parameters(index = "1", arity = "0..1") String second;
    @Option(names = "--timeout", defaultValue = "0", description = "Give up after this many seconds (default 0: wait for ever).")
    long timeoutSeconds;
    @Option(names = {"-w", "--watch"}, negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Keep watching until the rollout ends (default true).")
    boolean watch;

    @Override
    public Integer call() {
      Target target = target(first, second);
      String name = target.name();
      String ns = options.namespace();
      ApiClient api = options.client();
      PrintWriter out = spec.commandLine().getOut();
      var type = target.type();
      JsonNode deployment = api.get(Resources.object(type, ns, name));
      RolloutStatus status = RolloutStatus.of(deployment);
      out.println(status.message());
      out.flush();
      if (status.failed()) return 1;
      if (status.done() || !watch) return 0;
      long deadline = timeoutSeconds > 0 ? System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos() : Long.MAX_VALUE;
      String rv = deployment.path("metadata").path("resourceVersion").asText();
      String[] last = {status.message()};
      RolloutStatus[] outcome = {status};
      String[] version = {rv};
      while (!outcome[0].done() && !outcome[0].failed()) {
        long remaining = (deadline - System.nanoTime()) / 1_000_000_000L;
        if (deadline != Long.MAX_VALUE && remaining <= 0) {
          spec.commandLine().getErr().println("error: timed out waiting for the condition");
          return 1;
        }
        String q = "?watch=true&fieldSelector=" + Resources.encode("metadata.name=" + name) + "&resourceVersion=" + version[0]
            + (deadline == Long.MAX_VALUE ? "" : "&timeoutSeconds=" + Math.max(1, remaining));
        api.watch(Resources.collection(type, ns) + q, "application/json", event -> {
          String t = event.path("type").asText();
          if (t.equals("ERROR")) {
            version[0] = api.get(Resources.object(type, ns, name)).path("metadata").path("resourceVersion").asText();
            return false;
          }
          if (t.equals("DELETED")) {
            throw new CliException("error: " + type.singular() + " \"" + name + "\" was deleted during the rollout");
          }
          JsonNode object = event.path("object");
          version[0] = object.path("metadata").path("resourceVersion").asText(version[0]);
          if (t.equals("BOOKMARK")) return true;
          outcome[0] = RolloutStatus.of(object);
          if (!outcome[0].message().equals(last[0])) {
            out.println(outcome[0].message());
            out.flush();
            last[0] = outcome[0].message();
          }
          return !outcome[0].done() && !outcome[0].failed();
        });
      }
      if (outcome[0].failed()) {
        spec.commandLine().getErr().println("error: " + outcome[0].message());
        return 1;
      }
      return 0;
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true, description = "List a workload's revisions.")
  static final class HistoryCommand implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Spec CommandSpec spec;
    @Parameters(index = "0") String first;
    @Parameters(index = "1", arity = "0..1") String second;

    @Override
    public Integer call() {
      Target target = target(first, second);
      ApiClient api = options.client();
      JsonNode workload = api.get(Resources.object(target.type(), options.namespace(), target.name()));
      PrintWriter out = spec.commandLine().getOut();
      out.println(target.id());
      TextTable table = new TextTable().add(List.of("REVISION", "CHANGE-CAUSE"));
      List<JsonNode> revisions = target.deployment() ? replicaSets(api, options.namespace(), workload)
          : controllerRevisions(api, options.namespace(), workload);
      for (JsonNode r : revisions) {
        long number = target.deployment() ? revision(r) : r.path("revision").asLong(0);
        if (number == 0) continue;
        String cause = r.path("metadata").path("annotations").path(CHANGE_CAUSE).asText("");
        table.add(List.of(Long.toString(number), cause.isEmpty() ? "<none>" : cause));
      }
      table.lines().forEach(out::println);
      return 0;
    }
  }

  /**
   * As kubectl's: stamps the pod template with {@code kubectl.kubernetes.io/restartedAt}, so the
   * workload rolls out new pods of the same spec by its own strategy.
   */
  @Command(name = "restart", mixinStandardHelpOptions = true, description = "Roll out new pods of a workload, unchanged.")
  static final class RestartCommand implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Spec CommandSpec spec;
    @Parameters(index = "0") String first;
    @Parameters(index = "1", arity = "0..1") String second;

    @Override
    public Integer call() {
      Target t = target(first, second);
      ObjectNode patch = JsonNodeFactory.instance.objectNode();
      patch.putObject("spec").putObject("template").putObject("metadata").putObject("annotations")
          .put("kubectl.kubernetes.io/restartedAt", java.time.OffsetDateTime.now().withNano(0).toString());
      options.client().patch(Resources.object(t.type(), options.namespace(), t.name()), patch, "application/strategic-merge-patch+json");
      spec.commandLine().getOut().println(t.id() + " restarted");
      return 0;
    }
  }

  @Command(name = "undo", mixinStandardHelpOptions = true,
      description = "Roll a workload back to its previous revision (or --to-revision N).")
  static final class UndoCommand implements Callable<Integer> {
    @Mixin ClientOptions options;
    @Spec CommandSpec spec;
    @Parameters(index = "0") String first;
    @Parameters(index = "1", arity = "0..1") String second;
    @Option(names = "--to-revision", defaultValue = "0", description = "The revision to go back to (default: the previous one).")
    long toRevision;

    @Override
    public Integer call() {
      Target t = target(first, second);
      String name = t.name();
      ApiClient api = options.client();
      String path = Resources.object(t.type(), options.namespace(), name);
      JsonNode deployment = api.get(path);
      if (!t.deployment()) return undoRevision(api, t, path, deployment);
      List<JsonNode> history = replicaSets(api, options.namespace(), deployment).stream().filter(rs -> revision(rs) > 0).toList();
      if (history.isEmpty()) throw new CliException("error: no rollout history found for deployment \"" + name + "\"");
      JsonNode target;
      if (toRevision == 0) {
        if (history.size() < 2) throw new CliException("error: no rollout history found for deployment \"" + name + "\"");
        target = history.get(history.size() - 2);
      } else {
        target = history.stream().filter(rs -> revision(rs) == toRevision).findFirst()
            .orElseThrow(() -> new CliException("error: unable to find specified revision " + toRevision + " in history"));
      }
      ObjectNode template = target.path("spec").path("template").deepCopy();
      JsonNode labels = template.path("metadata").path("labels");
      if (labels.isObject()) ((ObjectNode) labels).remove("pod-template-hash");
      PrintWriter out = spec.commandLine().getOut();
      if (template.equals(deployment.path("spec").path("template"))) {
        out.println("deployment.apps/" + name + " skipped rollback (current template already matches revision "
            + revision(target) + ")");
        return 0;
      }
      ArrayNode patch = JsonNodeFactory.instance.arrayNode();
      patch.addObject().put("op", "replace").put("path", "/spec/template").set("value", template);
      api.patch(path, patch, "application/json-patch+json");
      out.println("deployment.apps/" + name + " rolled back");
      return 0;
    }

    /** As kubectl: the chosen ControllerRevision's data, sent back as a strategic merge patch. */
    private int undoRevision(ApiClient api, Target t, String path, JsonNode workload) {
      List<JsonNode> history = controllerRevisions(api, options.namespace(), workload);
      JsonNode chosen;
      if (toRevision == 0) {
        if (history.size() < 2) throw new CliException("error: no rollout history found for " + t.id());
        chosen = history.get(history.size() - 2);
      } else {
        chosen = history.stream().filter(r -> r.path("revision").asLong(0) == toRevision).findFirst()
            .orElseThrow(() -> new CliException("error: unable to find specified revision " + toRevision + " in history"));
      }
      ObjectNode template = chosen.path("data").path("spec").path("template").deepCopy();
      template.remove("$patch");
      PrintWriter out = spec.commandLine().getOut();
      if (template.equals(workload.path("spec").path("template"))) {
        out.println(t.id() + " skipped rollback (current template already matches revision "
            + chosen.path("revision").asLong() + ")");
        return 0;
      }
      api.patch(path, chosen.path("data"), "application/strategic-merge-patch+json");
      out.println(t.id() + " rolled back");
      return 0;
    }
  }

}
