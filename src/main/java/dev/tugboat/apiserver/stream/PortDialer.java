package dev.tugboat.apiserver.stream;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Opens one connection to a port of the pod a port-forward is for: what the client sends goes in,
 * what the pod sends comes out (its end is the pod's half-close). The API server's dialer asks the
 * agent of the pod's node; tests dial what they like.
 */
@FunctionalInterface
public interface PortDialer {

  /**
   * Completes with the pod's side once the connection is open, or fails with a {@link Refused}
   * whose message the client is shown on the port's error stream.
   */
  CompletionStage<Source<ByteString, NotUsed>> dial(int port, Source<ByteString, NotUsed> fromClient);

  /** The connection could not be opened; the message says why, as the kubelet words it. */
  final class Refused extends RuntimeException {
    public Refused(String message) {
      super(message, null, false, false);
    }
  }
}
