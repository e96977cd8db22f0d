package dev.tugboat.dns;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * One DNS message in, its response out, whatever the bytes: a message that does not parse gets
 * FORMERR under its id, a query the resolver cannot answer SERVFAIL, a response (QR set) nothing.
 * Cluster names are answered at once from the view; others are forwarded ({@link Upstream}).
 */
public final class QueryHandler {
  private static final Logger LOG = LoggerFactory.getLogger(QueryHandler.class);
  /** What a UDP client without EDNS can receive (RFC 1035); more is truncated, and it asks over TCP. */
  static final int UDP_PLAIN = 512;
  /** A TCP message's length field is 16 bits. */
  static final int TCP_MAX = 65535;
  /**
   * Forwards waiting for the host's resolvers at once. Each is a few hundred bytes and a timer;
   * past this (a flood, or resolvers that stopped answering) a query gets SERVFAIL at once rather
   * than piling up for the forward timeout.
   */
  static final int MAX_FORWARDS = 1024;

  private final ClusterResolver resolver;
  private final ClusterView view;
  private final Upstream upstream;
  private final AtomicInteger forwarding = new AtomicInteger();

  public QueryHandler(ClusterResolver resolver, ClusterView view, Upstream upstream) {
    this.resolver = resolver;
    this.view = view;
    this.upstream = upstream;
  }

  /** The bytes to send back for {@code raw}, or null when nothing is to be sent. Never fails. */
  public CompletionStage<byte[]> handle(byte[] raw, boolean overTcp) {
    Message query;
    try {
      query = new Message(raw);
    } catch (Exception e) {
      return CompletableFuture.completedFuture(formErr(raw));
    }
    try {
      int limit = limit(query, overTcp);
      Resolution resolution = resolver.resolve(query, view);
      if (resolution instanceof Resolution.Answer answer) {
        return CompletableFuture.completedFuture(answer.response().toWire(limit));
      }
      if (resolution instanceof Resolution.Ignore) return CompletableFuture.completedFuture(null);
      if (forwarding.incrementAndGet() > MAX_FORWARDS) {
        forwarding.decrementAndGet();
        return CompletableFuture.completedFuture(serverFailure(query).toWire(limit));
      }
      CompletionStage<byte[]> forwarded;
      if (resolution instanceof Resolution.Chase chase) {
        Message ask = Message.newQuery(Record.newRecord(chase.target(), chase.type(), DClass.IN));
        forwarded = upstream.forward(ask, overTcp).handle((upstreamAnswer, error) -> {
          Message response = chase.response();
          if (upstreamAnswer != null) {
            upstreamAnswer.getSection(Section.ANSWER).forEach(r -> response.addRecord(r, Section.ANSWER));
            // The answer is about the end of the chain: an alias of a name that does not exist says so.
            if (upstreamAnswer.getRcode() == Rcode.NXDOMAIN) response.getHeader().setRcode(Rcode.NXDOMAIN);
          }
          return response.toWire(limit);
        });
      } else {
        forwarded = upstream.forward(query, overTcp).handle((response, error) -> {
          if (response == null) return serverFailure(query).toWire(limit);
          return response.toWire(limit);
        });
      }
      return forwarded.whenComplete((bytes, error) -> forwarding.decrementAndGet())
          .exceptionally(error -> serverFailure(query).toWire(limit));
    } catch (RuntimeException e) {
      // A bug of ours for some query: it gets an answer, and the server keeps serving.
      LOG.warn("DNS: cannot answer {}: {}", query.getQuestion(), e.toString());
      return CompletableFuture.completedFuture(serverFailure(query).toWire(UDP_PLAIN));
    }
  }

  /** The largest response the client takes: its EDNS payload size over UDP (at least 512), 64 KiB over TCP. */
  private static int limit(Message query, boolean overTcp) {
    if (overTcp) return TCP_MAX;
    if (query.getOPT() == null) return UDP_PLAIN;
    return Math.max(UDP_PLAIN, Math.min(query.getOPT().getPayloadSize(), TCP_MAX));
  }

  private static Message serverFailure(Message query) {
    return ClusterResolver.reply(query, Rcode.SERVFAIL, false);
  }

  /**
   * FORMERR for bytes that are no message, under the id of their first two bytes (0 when there are
   * fewer), with no question: it could not be read. Nothing for a response (QR set), as for any.
   */
  static byte[] formErr(byte[] raw) {
    Header header;
    try {
      header = new Header(Arrays.copyOf(raw, Header.LENGTH)); // a short message's missing bytes read as 0
    } catch (Exception e) {
      header = new Header(0);
    }
    if (raw.length > 2 && header.getFlag(Flags.QR)) return null;
    Message response = new Message(header.getID());
    response.getHeader().setFlag(Flags.QR);
    if (raw.length > 2) response.getHeader().setOpcode(header.getOpcode());
    if (raw.length > 2 && header.getFlag(Flags.RD)) response.getHeader().setFlag(Flags.RD);
    response.getHeader().setRcode(Rcode.FORMERR);
    return response.toWire();
  }
}
