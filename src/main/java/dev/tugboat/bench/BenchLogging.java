package dev.tugboat.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Sends the logs of the Tugboat a benchmark runs in its own JVM to a file, so the console shows the
 * benchmark's progress and table only.
 */
public final class BenchLogging {
  private BenchLogging() {}

  /** Set (to true) where other code shares the JVM's logging, as in tests: then nothing is redirected. */
  public static final String KEEP_PROPERTY = "tugboat.bench.keep-logging";

  public static void toFile(Path file) {
    if (Boolean.getBoolean(KEEP_PROPERTY)) return;
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n");
    encoder.start();
    FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("bench-file");
    appender.setFile(file.toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.WARN);
  }
}
