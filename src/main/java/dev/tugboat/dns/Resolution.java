package dev.tugboat.dns;

import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/** What {@link ClusterResolver} makes of one query. */
public sealed interface Resolution {

  /** The response, complete: send it. */
  record Answer(Message response) implements Resolution {}

  /** Not a name of the cluster: the host's resolvers answer it. */
  record Forward() implements Resolution {}

  /**
   * An ExternalName's CNAME to a name outside the cluster: {@code response} holds the CNAME; the
   * host's resolvers are asked for {@code target}'s records of {@code type}, which are added to it.
   * A stub resolver does not follow a CNAME itself: it expects the chain and the address together.
   */
  record Chase(Message response, Name target, int type) implements Resolution {}

  /** A response, not a query: never answered, so two servers can never answer each other for ever. */
  record Ignore() implements Resolution {}
}
