package dev.tugboat.apiserver.stream;

import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/** WebSocket messages as whole byte strings: a message may arrive in pieces (streamed), a protocol reads it whole. */
final class Messages {
  private Messages() {}

  /**
   * The bytes of a message of the expected kind (binary, or text when {@code binary} is false). A
   * message of the other kind is no message of the protocol: it is read to its end (an unread
   * streamed message would stall the connection) and yields nothing.
   */
  static Source<ByteString, NotUsed> bytes(Message message, boolean binary) {
    if (message.isText()) {
      return message.asTextMessage().getStreamedText()
          .fold(new StringBuilder(), StringBuilder::append)
          .filter(text -> !binary)
          .map(text -> ByteString.fromString(text.toString()))
          .mapMaterializedValue(m -> NotUsed.getInstance());
    }
    return message.asBinaryMessage().getStreamedData()
        .fold(ByteString.emptyByteString(), ByteString::concat)
        .filter(data -> binary)
        .mapMaterializedValue(m -> NotUsed.getInstance());
  }
}
