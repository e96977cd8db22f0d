package dev.tugboat.kinds.cronjob;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A CronJob's schedule: the five fields of standard cron (minute, hour, day of month, month, day
 * of week) or a nickname ({@code @hourly}, {@code @daily}, ...), in a time zone, as Kubernetes reads
 * them. When both day fields are restricted, a day matching either runs (cron's rule).
 *
 * <p>Times are local to the zone. A local time skipped by a daylight-saving change runs at the
 * same offset after the change (02:30 on a spring-forward night runs at 03:30); one that occurs
 * twice runs once, at the first.
 */
public final class CronSchedule {
  private static final Map<String, String> NICKNAMES = Map.of(
      "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
      "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  /** How far ahead a schedule is searched: one that never fires within it (February 30th) never fires. */
  private static final int YEARS_AHEAD = 5;

  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;
  private final ZoneId zone;

  private CronSchedule(BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months, BitSet daysOfWeek,
      boolean anyDayOfMonth, boolean anyDayOfWeek, ZoneId zone) {
    this.minutes = minutes;
    this.hours = hours;
    this.daysOfMonth = daysOfMonth;
    this.months = months;
    this.daysOfWeek = daysOfWeek;
    this.anyDayOfMonth = anyDayOfMonth;
    this.anyDayOfWeek = anyDayOfWeek;
    this.zone = zone;
  }

  /**
   * Reads a schedule in a time zone (null: UTC, as the controller's own clock).
   *
   * @throws IllegalArgumentException saying what is wrong, in words fit for a 422
   */
  public static CronSchedule parse(String schedule, String timeZone) {
    ZoneId zone = zone(timeZone);
    if (schedule == null || schedule.isBlank()) throw new IllegalArgumentException("empty schedule");
    String text = schedule.trim();
    if (text.startsWith("TZ=") || text.startsWith("CRON_TZ=")) {
      throw new IllegalArgumentException("cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
    }
    if (text.startsWith("@")) {
      String fields = NICKNAMES.get(text.toLowerCase());
      if (fields == null) throw new IllegalArgumentException("unrecognized descriptor: " + text);
      text = fields;
    }
    String[] f = text.split("\\s+");
    if (f.length != 5) throw new IllegalArgumentException("expected exactly 5 fields, found " + f.length + ": " + schedule);
    return new CronSchedule(field(f[0], 0, 59, List.of(), "minute"), field(f[1], 0, 23, List.of(), "hour"),
        field(f[2], 1, 31, List.of(), "day of month"), field(f[3], 1, 12, MONTHS, "month"),
        daysOfWeek(f[4]), any(f[2]), any(f[4]), zone);
  }

  /** The zone named, or why it is not one. */
  public static ZoneId zone(String timeZone) {
    if (timeZone == null) return ZoneOffset.UTC;
    try {
      if (timeZone.isEmpty() || timeZone.equals("Local")) throw new DateTimeException("not a zone");
      return ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("unknown time zone " + timeZone);
    }
  }

  private static boolean any(String field) {
    return field.startsWith("*") || field.startsWith("?");
  }

  private static BitSet daysOfWeek(String text) {
    BitSet days = field(text, 0, 7, DAYS, "day of week");
    if (days.get(7)) days.set(0); // 7 is Sunday too
    days.clear(7);
    return days;
  }

  private static BitSet field(String text, int min, int max, List<String> names, String what) {
    BitSet set = new BitSet(max + 1);
    for (String part : text.split(",", -1)) {
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(part.substring(slash + 1), List.of(), what);
        if (step <= 0) throw new IllegalArgumentException("step of " + what + " must be positive: " + part);
      }
      int from;
      int to;
      if (range.equals("*") || range.equals("?")) {
        from = min;
        to = max;
      } else {
        int dash = range.indexOf('-');
        from = number(dash < 0 ? range : range.substring(0, dash), names, what);
        to = dash < 0 ? (slash >= 0 ? max : from) : number(range.substring(dash + 1), names, what);
      }
      if (from < min || to > max || from > to) {
        throw new IllegalArgumentException(what + " out of range (" + min + "-" + max + "): " + part);
      }
      for (int i = from; i <= to; i += step) set.set(i);
    }
    return set;
  }

  private static int number(String text, List<String> names, String what) {
    int named = names.indexOf(text.toUpperCase());
    if (named >= 0) return names == MONTHS ? named + 1 : named;
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("failed to parse " + what + ": \"" + text + "\"");
    }
  }

  /** The first time the schedule fires strictly after {@code after}; empty when it never does. */
  public Optional<Instant> next(Instant after) {
    LocalDateTime start = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES);
    LocalDate day = start.toLocalDate();
    LocalDate last = day.plusYears(YEARS_AHEAD);
    for (; !day.isAfter(last); day = day.plusDays(1)) {
      if (!months.get(day.getMonthValue()) || !dayMatches(day)) continue;
      for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
        for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
          LocalDateTime local = LocalDateTime.of(day, LocalTime.of(h, m));
          if (local.isBefore(start)) continue;
          Instant at = ZonedDateTime.ofLocal(local, zone, null).toInstant();
          if (at.isAfter(after)) return Optional.of(at);
        }
      }
    }
    return Optional.empty();
  }

  private boolean dayMatches(LocalDate day) {
    boolean dom = daysOfMonth.get(day.getDayOfMonth());
    boolean dow = daysOfWeek.get(day.getDayOfWeek().getValue() % 7);
    if (anyDayOfMonth || anyDayOfWeek) return dom && dow;
    return dom || dow;
  }
}
