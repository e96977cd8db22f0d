package dev.tugboat.boot;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * How a member writes its log: {@code text} (conf/logback.xml, for a terminal) or {@code json}
 * (conf/logback-json.xml, one JSON object a line, for a log collector). Chosen by
 * {@code tug up --log-format} or {@code TUGBOAT_LOG_FORMAT}.
 *
 * <p>Logback has configured itself from logback.xml by the time the command line is parsed, so
 * JSON is applied by resetting the context and reading the other file, before the member starts.
 * A {@code -Dlogback.configurationFile} given by the operator wins: it is left alone.
 */
public enum LogFormat {
  text("/logback.xml"),
  json("/logback-json.xml");

  private final String resource;

  LogFormat(String resource) {
    this.resource = resource;
  }

  /** Reconfigures this JVM's logback for this format, unless the operator named a file of their own. */
  public void apply() {
    if (System.getProperty("logback.configurationFile") != null) return;
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
    configure(context);
  }

  /** Resets {@code context} and reads this format's configuration into it. */
  public void configure(LoggerContext context) {
    URL url = LogFormat.class.getResource(resource);
    if (url == null) throw new IllegalStateException("the log configuration " + resource + " is missing from the jar");
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(url);
    } catch (JoranException e) {
      throw new IllegalStateException("cannot read the log configuration " + resource + ": " + e.getMessage(), e);
    }
  }
}
