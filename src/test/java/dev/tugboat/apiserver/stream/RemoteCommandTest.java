package dev.tugboat.apiserver.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tugboat.protocol.NodeStreams;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class RemoteCommandTest {
  private static final NodeStreams.Streams ALL = new NodeStreams.Streams(true, true, true, false);

  @Test
  void theStatusIsTheKubeletsForEachEnd() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode success = json.readTree(RemoteCommand.status(new NodeStreams.Exited(0, null), "command [ls]"));
    assertEquals("Success", success.path("status").asText());

    JsonNode failed = json.readTree(RemoteCommand.status(new NodeStreams.Exited(3, null), "command [sh -c exit 3]"));
    assertEquals("Failure", failed.path("status").asText());
    assertEquals("NonZeroExitCode", failed.path("reason").asText());
    // client-go reads the code from the cause of type ExitCode (JSON field "reason") as an 8-bit number.
    assertEquals("ExitCode", failed.at("/details/causes/0/reason").asText());
    assertEquals("3", failed.at("/details/causes/0/message").asText());

    JsonNode broken = json.readTree(RemoteCommand.status(new NodeStreams.Exited(null, "the engine went away"), "container web"));
    assertEquals("InternalError", broken.path("reason").asText());
    assertTrue(broken.path("message").asText().contains("the engine went away"));
  }

  @Test
  void clientMessagesBecomeInput() {
    ChannelProtocol v5 = ChannelProtocol.V5;
    List<NodeStreams.Input> stdin = RemoteCommand.input(v5, ALL, ByteString.fromArray(new byte[] {0, 'h', 'i'}));
    assertEquals("hi", new String(((NodeStreams.Stdin) stdin.get(0)).data()));
    assertInstanceOf(NodeStreams.StdinClosed.class, RemoteCommand.input(v5, ALL, ByteString.fromArray(new byte[] {(byte) 255, 0})).get(0));
    assertEquals(List.of(new NodeStreams.Resize(100, 40)),
        RemoteCommand.input(v5, ALL, ByteString.fromArray(new byte[] {4}).concat(ByteString.fromString("{\"Width\":100,\"Height\":40}"))));
    assertEquals(List.of(), RemoteCommand.input(v5, ALL, ByteString.fromArray(new byte[] {4}).concat(ByteString.fromString("{oops"))),
        "a broken size is ignored");
    assertEquals(List.of(), RemoteCommand.input(ChannelProtocol.V4, ALL, ByteString.fromArray(new byte[] {(byte) 255, 0})),
        "v4 has no close signal");
    assertEquals(List.of(), RemoteCommand.input(v5, new NodeStreams.Streams(false, true, true, false),
        ByteString.fromArray(new byte[] {0, 'x'})), "stdin that was not asked for goes nowhere");
    // base64: the channel as a digit, the data in base64
    List<NodeStreams.Input> b64 = RemoteCommand.input(ChannelProtocol.V4_BASE64, ALL, ByteString.fromString("0aGk="));
    assertEquals("hi", new String(((NodeStreams.Stdin) b64.get(0)).data()));
  }
}
