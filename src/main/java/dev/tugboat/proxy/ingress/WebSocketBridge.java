package dev.tugboat.proxy.ingress;

import dev.tugboat.proxy.ServiceBackends;
import org.apache.pekko.NotUsed;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;

/**
 * A WebSocket upgrade passed through: the controller opens a WebSocket to the endpoint first (Pekko
 * HTTP's WebSocket client, with the client's path, query, headers and subprotocols), and only when
 * the endpoint accepts does it accept the client's upgrade, with the subprotocol the endpoint chose;
 * messages then flow both ways until either side closes, which closes the other. An endpoint that
 * refuses answers the client with its own response; one that cannot be reached, 502.
 */
final class WebSocketBridge {
  /** How long a fragmented message may take to arrive whole before it is passed on. */
  private static final long MESSAGE_TIMEOUT_MILLIS = Duration.ofSeconds(30).toMillis();
  /** Headers of the client's handshake that the client side of the bridge writes itself. */
  private static final List<String> HANDSHAKE = List.of("host", "sec-websocket-key", "sec-websocket-version",
      "sec-websocket-extensions", "sec-websocket-protocol", "sec-websocket-accept");

  private WebSocketBridge() {}

  static CompletionStage<HttpResponse> bridge(Http http, Materializer materializer, WebSocketUpgrade upgrade,
      HttpRequest request, ServiceBackends.Backend to, List<HttpHeader> forwarded) {
    var uri = request.getUri().scheme("ws").host(to.host()).port(to.port());
    WebSocketRequest ws = WebSocketRequest.create(uri);
    for (HttpHeader h : forwarded) {
      if (!HANDSHAKE.contains(h.lowercaseName())) ws = ws.addHeader(h);
    }
    String protocols = String.join(", ", upgrade.getRequestedProtocols());
    if (!protocols.isEmpty()) ws = ws.requestSubprotocol(protocols);
    // The endpoint's side, materialized before the client's is accepted: what it sends is
    // published, what it is sent comes from a subscriber, both handed to the client's side below.
    Flow<Message, Message, Pair<Publisher<Message>, Subscriber<Message>>> endpointSide = Flow.fromSinkAndSourceCoupledMat(
        Sink.<Message>asPublisher(AsPublisher.WITHOUT_FANOUT), Source.<Message>asSubscriber(), Keep.both());
    Pair<CompletionStage<org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse>,
        Pair<Publisher<Message>, Subscriber<Message>>> started =
        http.singleWebSocketRequest(ws, strict(materializer).viaMat(endpointSide, Keep.right()), materializer);
    Publisher<Message> fromEndpoint = started.second().first();
    Subscriber<Message> toEndpoint = started.second().second();
    return started.first().handle((response, error) -> {
      if (error == null && response.isValid()) {
        Sink<Message, ?> in = strict(materializer).to(Sink.fromSubscriber(toEndpoint));
        Source<Message, ?> out = Source.fromPublisher(fromEndpoint);
        return response.chosenSubprotocol().map(p -> upgrade.handleMessagesWith(in, out, p))
            .orElseGet(() -> upgrade.handleMessagesWith(in, out));
      }
      // nothing will flow: end both halves so that no stream waits for ever
      Source.<Message>empty().runWith(Sink.fromSubscriber(toEndpoint), materializer);
      Source.fromPublisher(fromEndpoint).runWith(Sink.cancelled(), materializer);
      request.discardEntityBytes(materializer);
      if (error != null) {
        return IngressHandler.text(StatusCodes.BAD_GATEWAY, "502 Bad Gateway: the endpoint did not answer\n");
      }
      return response.response();
    });
  }

  /** Messages made whole before they cross: a streamed one belongs to the connection it came from. */
  private static Flow<Message, Message, NotUsed> strict(Materializer materializer) {
    return Flow.<Message>create().mapAsync(1, m -> m.isText()
        ? m.asTextMessage().toStrict(MESSAGE_TIMEOUT_MILLIS, materializer).<Message>thenApply(TextMessage::adapt)
        : m.asBinaryMessage().toStrict(MESSAGE_TIMEOUT_MILLIS, materializer).<Message>thenApply(BinaryMessage::adapt));
  }
}
