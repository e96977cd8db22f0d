package dev.tugboat.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tug logs POD|TYPE/NAME [-c CONTAINER] [-f] [--tail N] [--previous]}: the pod's container log,
 * served by its node; for a workload ({@code job/pi}, {@code deploy/web}) one of its pods, as kubectl picks.
 */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print (or follow) the log of a pod's container.")
final class LogsCommand implements Callable<Integer> {
  @Mixin ClientOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "The pod (NAME or pod/NAME), or a workload (job/NAME, deploy/NAME, ...).")
  String pod;

  @Option(names = {"-c", "--container"}, description = "The container (needed when the pod has several).") String container;
  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the container stops.") boolean follow;
  @Option(names = "--tail", defaultValue = "-1", description = "Only the last N lines (default: all).") int tail;
  @Option(names = {"-p", "--previous"}, description = "The log of the previous run of the container.") boolean previous;

  @Override
  public Integer call() {
    String name = podName();
    StringBuilder q = new StringBuilder();
    if (container != null) q.append("&container=").append(Resources.encode(container));
    if (follow) q.append("&follow=true");
    if (tail >= 0) q.append("&tailLines=").append(tail);
    if (previous) q.append("&previous=true");
    String path = Resources.object(Resources.type("pods"), options.namespace(), name) + "/log"
        + (q.length() == 0 ? "" : "?" + q.substring(1));
    PrintWriter out = spec.commandLine().getOut();
    options.client().stream(path, "text/plain, application/json", line -> {
      out.println(line);
      out.flush();
      return true;
    });
    return 0;
  }

  private String podName() {
    return Pods.resolve(options.client(), options.namespace(), pod, spec.commandLine().getErr());
  }
}
