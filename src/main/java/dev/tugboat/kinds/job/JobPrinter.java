package dev.tugboat.kinds.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Jobs: STATUS, COMPLETIONS, DURATION, as kubectl prints them; wide: containers, images, selector. */
public record JobPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Status", "Status of the job."),
      Column.of("Completions", "The completion status of the job."),
      Column.of("Duration", "Time required to complete the job."),
      Column.age(),
      Column.wide("Containers", "Names of each container in the template."),
      Column.wide("Images", "Images referenced by each container in the template."),
      Column.wide("Selector", "Label selector for pods."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode job, Instant now) {
    JsonNode spec = job.path("spec");
    JsonNode status = job.path("status");
    JsonNode containers = spec.path("template").path("spec").path("containers");
    return List.of(
        job.path("metadata").path("name").asText(),
        status(job),
        completions(spec, status.path("succeeded").asInt(0)),
        duration(status, now),
        Cells.age(job.path("metadata").path("creationTimestamp"), now),
        Cells.joined(containers, "name"),
        Cells.joined(containers, "image"),
        Cells.selector(spec.path("selector")));
  }

  /** kubectl's order: a finished Job says so even while it is being deleted. */
  static String status(JsonNode job) {
    JsonNode conditions = job.path("status").path("conditions");
    if (JobConditions.isTrue(conditions, "Complete")) return "Complete";
    if (JobConditions.isTrue(conditions, "Failed")) return "Failed";
    if (job.path("metadata").has("deletionTimestamp")) return "Terminating";
    if (JobConditions.isTrue(conditions, "Suspended")) return "Suspended";
    if (JobConditions.isTrue(conditions, "FailureTarget")) return "FailureTarget";
    return "Running";
  }

  private static String completions(JsonNode spec, int succeeded) {
    if (spec.hasNonNull("completions")) return succeeded + "/" + spec.path("completions").asInt();
    int parallelism = spec.path("parallelism").asInt(0);
    return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
  }

  private static String duration(JsonNode status, Instant now) {
    if (!status.hasNonNull("startTime")) return "";
    Instant start = Instant.parse(status.path("startTime").asText());
    Instant end = status.hasNonNull("completionTime") ? Instant.parse(status.path("completionTime").asText()) : now;
    return Cells.human(Duration.between(start, end));
  }
}
