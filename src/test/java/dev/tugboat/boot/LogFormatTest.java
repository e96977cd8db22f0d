package dev.tugboat.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The two log formats, read from the files the jar carries, into a context of the test's own. */
class LogFormatTest {
  /**
   * Logs through a context configured from the format's file, and encodes what passed its levels
   * with the encoder of that file's console appender: the lines the console would show.
   */
  private static List<String> logged(LogFormat format) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter()); // as the context slf4j binds has
    try {
      format.configure(context);
      ListAppender<ILoggingEvent> passed = new ListAppender<>();
      passed.setContext(context);
      passed.start();
      ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      root.addAppender(passed);
      Logger log = context.getLogger("dev.tugboat.boot.Example");
      log.info("Cassandra accepts CQL on {}:{}", "127.0.0.1", 9042);
      log.debug("below the level: not written");
      context.getLogger("org.apache.pekko.Chatty").info("a library's INFO: not written");
      log.warn("with \"quotes\"\nand a second line", new IllegalStateException("boom"));
      @SuppressWarnings("unchecked")
      Encoder<ILoggingEvent> encoder = ((OutputStreamAppender<ILoggingEvent>) root.getAppender("STDOUT")).getEncoder();
      StringBuilder out = new StringBuilder();
      passed.list.forEach(e -> out.append(new String(encoder.encode(e), StandardCharsets.UTF_8)));
      return out.toString().lines().filter(l -> !l.isBlank()).toList();
    } finally {
      context.stop();
    }
  }

  @Test
  void jsonIsOneObjectALineWithTheFormattedMessage() throws Exception {
    List<String> lines = logged(LogFormat.json);
    assertEquals(2, lines.size(), String.join("\n", lines));
    ObjectMapper json = new ObjectMapper();
    JsonNode info = json.readTree(lines.get(0));
    assertEquals("INFO", info.path("level").asText());
    assertEquals("dev.tugboat.boot.Example", info.path("loggerName").asText());
    assertEquals("Cassandra accepts CQL on 127.0.0.1:9042", info.path("formattedMessage").asText());
    assertTrue(info.path("timestamp").asLong() > 0, lines.get(0));
    JsonNode warn = json.readTree(lines.get(1));
    assertEquals("WARN", warn.path("level").asText());
    assertEquals("with \"quotes\"\nand a second line", warn.path("formattedMessage").asText(), "escaped, still one line");
    assertEquals("boom", warn.path("throwable").path("message").asText(), lines.get(1));
  }

  @Test
  void textIsThePatternOfLogbackXml() {
    List<String> lines = logged(LogFormat.text);
    assertTrue(lines.get(0).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  d\\.tugboat\\.boot\\.Example - Cassandra accepts CQL on 127\\.0\\.0\\.1:9042"),
        lines.get(0));
    assertFalse(String.join("\n", lines).contains("not written"));
    assertTrue(lines.stream().anyMatch(l -> l.contains("java.lang.IllegalStateException: boom")), String.join("\n", lines));
  }
}
