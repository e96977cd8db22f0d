package dev.tugboat.kinds.cronjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {

  @ParameterizedTest(name = "{0} in {1} after {2} -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      * * * * *        | UTC              | 2026-12-03T10:15:30Z | 2026-12-03T10:16:00Z
      * * * * *        | UTC              | 2026-12-03T10:16:00Z | 2026-12-03T10:17:00Z
      */15 * * * *     | UTC              | 2026-12-03T10:15:00Z | 2026-12-03T10:30:00Z
      5-10/2 * * * *   | UTC              | 2026-12-03T10:07:00Z | 2026-12-03T10:09:00Z
      0 9 * * MON-FRI  | UTC              | 2026-12-04T09:00:00Z | 2026-12-07T09:00:00Z
      0 0 * * 7        | UTC              | 2026-12-03T00:00:00Z | 2026-12-06T00:00:00Z
      30 2 * JAN,jul * | UTC              | 2026-12-03T00:00:00Z | 2027-01-01T02:30:00Z
      @hourly          | UTC              | 2026-12-03T10:15:00Z | 2026-12-03T11:00:00Z
      @daily           | UTC              | 2026-12-03T10:15:00Z | 2026-12-04T00:00:00Z
      @weekly          | UTC              | 2026-12-03T10:15:00Z | 2026-12-06T00:00:00Z
      @monthly         | UTC              | 2026-12-03T10:15:00Z | 2027-01-01T00:00:00Z
      @yearly          | UTC              | 2026-12-03T10:15:00Z | 2027-01-01T00:00:00Z
      0 0 31 * *       | UTC              | 2026-11-01T00:00:00Z | 2026-12-31T00:00:00Z
      0 0 31 * *       | UTC              | 2027-01-31T00:00:00Z | 2027-03-31T00:00:00Z
      0 12 29 2 *      | UTC              | 2026-12-03T00:00:00Z | 2028-02-29T12:00:00Z
      0 0 1 * 1        | UTC              | 2026-12-02T00:00:00Z | 2026-12-07T00:00:00Z
      0 0 13 * 5       | UTC              | 2026-12-05T00:00:00Z | 2026-12-11T00:00:00Z
      0 9 * * *        | Europe/Berlin    | 2026-12-03T10:00:00Z | 2026-12-04T08:00:00Z
      0 9 * * *        | Europe/Berlin    | 2026-06-03T10:00:00Z | 2026-06-04T07:00:00Z
      30 2 * * *       | Europe/Berlin    | 2026-03-28T12:00:00Z | 2026-03-29T01:30:00Z
      30 2 * * *       | Europe/Berlin    | 2026-10-24T12:00:00Z | 2026-10-25T00:30:00Z
      30 2 * * *       | Europe/Berlin    | 2026-10-25T00:30:00Z | 2026-10-26T01:30:00Z
      0 0 * * *        | America/New_York | 2026-12-03T06:00:00Z | 2026-12-04T05:00:00Z
      """)
  void firesWhereCronDoes(String schedule, String zone, String after, String expected) {
    assertEquals(Optional.of(Instant.parse(expected)), CronSchedule.parse(schedule, zone).next(Instant.parse(after)));
  }

  @ParameterizedTest(name = "{0} in {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      ''                 | UTC           | empty schedule
      * * * *            | UTC           | expected exactly 5 fields, found 4
      60 * * * *         | UTC           | minute out of range (0-59): 60
      * 24 * * *         | UTC           | hour out of range (0-23): 24
      * * 0 * *          | UTC           | day of month out of range (1-31): 0
      * * * 13 *         | UTC           | month out of range (1-12): 13
      * * * * 8          | UTC           | day of week out of range (0-7): 8
      */0 * * * *        | UTC           | step of minute must be positive: */0
      5-1 * * * *        | UTC           | minute out of range (0-59): 5-1
      x * * * *          | UTC           | failed to parse minute: "x"
      @fortnightly       | UTC           | unrecognized descriptor: @fortnightly
      TZ=UTC * * * * *   | UTC           | cannot use TZ or CRON_TZ in schedule, use timeZone field instead
      * * * * *          | Mars/Olympus  | unknown time zone Mars/Olympus
      """)
  void refusesWhatCronRefusesSayingWhy(String schedule, String zone, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(schedule, zone));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"0 0 30 2 *", "0 0 31 4 *"})
  void aDayThatNeverComesNeverFires(String schedule) {
    assertEquals(Optional.empty(), CronSchedule.parse(schedule, null).next(Instant.parse("2026-12-03T00:00:00Z")));
  }
}
