package dev.tugboat.boot;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The {@code tugboat.*} configuration of one member, read once at start. */
public record TugboatSettings(
    String nodeName,
    Path dataDir,
    String apiHost,
    int apiPort,
    long maxBodyBytes,
    List<String> cassandraContactPoints,
    String keyspace,
    EmbeddedCassandra.Settings embeddedCassandra) {

  public static TugboatSettings from(Config config) {
    Config t = config.getConfig("tugboat");
    Path dataDir = Path.of(t.getString("data-dir")).toAbsolutePath();
    Config embedded = t.getConfig("cassandra.embedded");
    return new TugboatSettings(
        t.getString("node-name").isBlank() ? hostName() : t.getString("node-name"),
        dataDir,
        t.getString("api.host"),
        t.getInt("api.port"),
        t.getBytes("api.max-body-size"),
        Arrays.stream(t.getString("cassandra.contact-points").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).toList(),
        t.getString("cassandra.keyspace"),
        new EmbeddedCassandra.Settings(
            dataDir.resolve("cassandra"),
            "127.0.0.1",
            embedded.getInt("port"),
            embedded.getString("initial-heap"),
            embedded.getString("max-heap"),
            embedded.getDuration("start-timeout"),
            embedded.getDuration("stop-timeout"),
            EmbeddedCassandra.CommitLog.from(embedded)));
  }

  /** True when Tugboat starts its own Cassandra (no external contact points configured). */
  public boolean embedded() {
    return cassandraContactPoints.isEmpty();
  }

  /** The contact points the journal connects to: the external ones, or the embedded server. */
  public List<String> effectiveContactPoints() {
    return embedded()
        ? List.of(embeddedCassandra.host() + ":" + embeddedCassandra.port())
        : cassandraContactPoints;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName().toLowerCase();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
