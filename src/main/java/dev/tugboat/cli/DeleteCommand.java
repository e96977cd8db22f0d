package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.model.ResourceType;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tug delete KIND NAME... | -l SELECTOR | -f FILE}: deletes, then (as kubectl does) waits
 * until each object is really gone: a pod on a node stops its containers first, a namespace empties.
 */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete objects and wait until they are gone.")
final class DeleteCommand implements Callable<Integer> {
  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(description = "KIND NAME..., or KIND with -l.")
  List<String> args = new ArrayList<>();

  @Option(names = {"-f", "--filename"}, description = "Delete the objects of these manifests.")
  List<String> files = new ArrayList<>();

  @Option(names = {"-l", "--selector"}, description = "Delete every object of the kind matching this label selector.")
  String selector;

  @Option(names = "--wait", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Wait until the objects are gone (default true).")
  boolean wait;

  @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for the objects to go (default 120).")
  int timeoutSeconds;

  @Option(names = "--grace-period", description = "Seconds a pod gets to stop (0: at once).")
  Long gracePeriod;

  private record Target(ResourceType type, String namespace, String name) {}

  @Override
  public Integer call() {
    ApiClient api = options.client();
    List<Target> targets = new ArrayList<>();
    for (Manifests.Manifest m : Manifests.read(files, false, System.in)) {
      ResourceType type = Resources.byKind(api, m.object().path("apiVersion").asText(), m.object().path("kind").asText())
          .orElseThrow(() -> new CliException("error: unknown kind " + m.object().path("kind").asText() + " in " + m.source()));
      String ns = m.object().path("metadata").path("namespace").asText("");
      targets.add(new Target(type, type.namespaced() ? (ns.isEmpty() ? options.namespace() : ns) : null,
          m.object().path("metadata").path("name").asText()));
    }
    if (!args.isEmpty()) {
      List<String> rest = new ArrayList<>(args);
      String first = rest.remove(0);
      if (first.contains("/")) { // kind/name forms
        rest.add(0, first);
        for (String a : rest) {
          String[] kn = a.split("/", 2);
          ResourceType type = Resources.type(api, kn[0]);
          targets.add(new Target(type, type.namespaced() ? options.namespace() : null, kn[1]));
        }
      } else {
        ResourceType type = Resources.type(api, first);
        String ns = type.namespaced() ? options.namespace() : null;
        if (selector != null) {
          for (JsonNode o : api.get(Resources.collection(type, ns) + "?labelSelector=" + Resources.encode(selector)).path("items")) {
            targets.add(new Target(type, ns, o.path("metadata").path("name").asText()));
          }
        }
        rest.forEach(n -> targets.add(new Target(type, ns, n)));
        if (rest.isEmpty() && selector == null) throw new CliException("error: resource(s) were provided, but no name was specified");
      }
    }
    if (targets.isEmpty()) {
      if (selector != null) {
        spec.commandLine().getErr().println("No resources found");
        return 0;
      }
      throw new CliException("error: you must provide one or more resources by argument or filename");
    }
    PrintWriter out = spec.commandLine().getOut();
    ObjectNode deleteOptions = JsonNodeFactory.instance.objectNode();
    deleteOptions.put("kind", "DeleteOptions").put("apiVersion", "v1").put("propagationPolicy", "Background");
    if (gracePeriod != null) deleteOptions.put("gracePeriodSeconds", gracePeriod);
    int failures = 0;
    List<Target> deleted = new ArrayList<>();
    for (Target t : targets) {
      try {
        api.delete(Resources.object(t.type(), t.namespace(), t.name()), deleteOptions);
        out.println(t.type().kind().toLowerCase(java.util.Locale.ROOT) + (t.type().group().isEmpty() ? "" : "." + t.type().group())
            + " \"" + t.name() + "\" deleted");
        out.flush();
        deleted.add(t);
      } catch (CliException e) {
        failures++;
        spec.commandLine().getErr().println(e.getMessage());
      }
    }
    if (wait) {
      long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
      for (Target t : deleted) {
        while (api.find(Resources.object(t.type(), t.namespace(), t.name())) != null) {
          if (System.nanoTime() > deadline) {
            throw new CliException("error: timed out waiting for " + Resources.id(t.type(), t.name()) + " to be deleted");
          }
          sleep();
        }
      }
    }
    return failures == 0 ? 0 : 1;
  }

  /** The pace of the wait: a deletion takes from milliseconds (no finalizers) to a pod's grace period. */
  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }
}
