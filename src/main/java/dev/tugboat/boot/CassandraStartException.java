package dev.tugboat.boot;

/** The embedded Cassandra could not be started; the message ends with the last lines of its log. */
public final class CassandraStartException extends RuntimeException {
  public CassandraStartException(String reason, String logTail) {
    super(logTail == null || logTail.isBlank() ? reason : reason + "\n--- last lines of the Cassandra log ---\n" + logTail);
  }
}
