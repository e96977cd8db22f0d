package dev.tugboat.client;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * Service discovery by name, as Pekko Discovery's lookups are spelled: {@code web.default} (the
 * Service {@code web} in namespace {@code default}, its first port) or SRV-style
 * {@code _http._tcp.web.default} (its port named {@code http}). Answers with the ready endpoints
 * from the Service's Endpoints, through {@link TugboatClient}: actor messages, no DNS, no HTTP.
 */
public final class ServiceResolver {
  /** A parsed lookup: namespace, service, and the port name (null: the first port). */
  public record Lookup(String namespace, String service, String portName) {
    /** {@code svc.ns}, {@code svc} (namespace {@code default}), or {@code _port._proto.svc.ns}. */
    public static Lookup parse(String name) {
      String text = name.toLowerCase(Locale.ROOT);
      String portName = null;
      if (text.startsWith("_")) {
        String[] parts = text.split("\\.", 3);
        if (parts.length < 3 || !parts[1].startsWith("_")) {
          throw new IllegalArgumentException("an SRV-style name is _port._protocol.service.namespace: " + name);
        }
        portName = parts[0].substring(1);
        text = parts[2];
      }
      String[] parts = text.split("\\.");
      String namespace = parts.length > 1 ? parts[1] : "default";
      return new Lookup(namespace, parts[0], portName);
    }
  }

  private final TugboatClient client;

  public ServiceResolver(TugboatClient client) {
    this.client = client;
  }

  public CompletionStage<List<TugboatClient.Endpoint>> resolve(String name) {
    Lookup lookup = Lookup.parse(name);
    return client.endpoints(lookup.namespace(), lookup.service(), lookup.portName());
  }
}
