package dev.tugboat.bench;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Durations on the command line as the configuration writes them: 500ms, 10s, 5m, 1h (or ISO PT10S). */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase();
    if (v.startsWith("pt")) return Duration.parse(value);
    if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
    long n = Long.parseLong(v.substring(0, v.length() - 1));
    return switch (v.charAt(v.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new IllegalArgumentException("not a duration: " + value + " (e.g. 500ms, 10s, 5m)");
    };
  }
}
