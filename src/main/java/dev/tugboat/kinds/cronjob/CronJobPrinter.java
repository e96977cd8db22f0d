package dev.tugboat.kinds.cronjob;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.kind.Cells;
import dev.tugboat.kind.Column;
import dev.tugboat.kind.Printer;
import java.time.Instant;
import java.util.List;

/** CronJobs: SCHEDULE, TIMEZONE, SUSPEND, ACTIVE, LAST SCHEDULE, as kubectl prints them; wide: containers, images, selector. */
public record CronJobPrinter() implements Printer {
  private static final List<Column> COLUMNS = List.of(
      Column.nameColumn(),
      Column.of("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
      Column.of("Timezone", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones."),
      Column.of("Suspend", "This flag tells the controller to suspend subsequent executions.").withType("boolean"),
      Column.of("Active", "A list of pointers to currently running jobs.").withType("integer"),
      Column.of("Last Schedule", "Information when was the last time the job was successfully scheduled."),
      Column.age(),
      Column.wide("Containers", "Names of each container in the template."),
      Column.wide("Images", "Images referenced by each container in the template."),
      Column.wide("Selector", "Label selector for pods."));

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode cronJob, Instant now) {
    JsonNode spec = cronJob.path("spec");
    JsonNode status = cronJob.path("status");
    JsonNode jobSpec = spec.path("jobTemplate").path("spec");
    JsonNode containers = jobSpec.path("template").path("spec").path("containers");
    return List.of(
        cronJob.path("metadata").path("name").asText(),
        spec.path("schedule").asText(),
        Cells.text(spec.path("timeZone"), Cells.NONE),
        spec.path("suspend").asBoolean(false) ? "True" : "False",
        status.path("active").size(),
        status.hasNonNull("lastScheduleTime") ? Cells.age(status.path("lastScheduleTime"), now) : Cells.NONE,
        Cells.age(cronJob.path("metadata").path("creationTimestamp"), now),
        Cells.joined(containers, "name"),
        Cells.joined(containers, "image"),
        Cells.selector(jobSpec.path("selector")));
  }
}
