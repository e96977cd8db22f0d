package dev.tugboat.controller.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.model.Codec;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngressStatusTest {
  private static JsonNode yaml(String text) {
    return Codec.parseTree(text.getBytes(), true, false);
  }

  private static JsonNode node(String name, String ip, String ready) {
    return yaml("""
        metadata: {name: %s}
        status:
          conditions: [{type: Ready, status: "%s"}]
          addresses: [{type: InternalIP, address: "%s"}, {type: Hostname, address: %s}]
        """.formatted(name, ready, ip, name));
  }

  @Test
  void theReadyNodesAddressesOnceEachWithTheControllersPorts() {
    List<JsonNode> nodes = List.of(node("c", "127.0.0.3", "True"), node("a", "127.0.0.2", "True"),
        node("b", "127.0.0.2", "True"), node("d", "127.0.0.4", "Unknown"));
    JsonNode plain = yaml("spec: {rules: []}");
    assertEquals("{\"loadBalancer\":{\"ingress\":[{\"ip\":\"127.0.0.2\",\"ports\":[{\"port\":8081,\"protocol\":\"TCP\"}]},"
        + "{\"ip\":\"127.0.0.3\",\"ports\":[{\"port\":8081,\"protocol\":\"TCP\"}]}]}}",
        IngressStatus.of(plain, nodes, 8081, 8443).toString());
    JsonNode tls = yaml("spec: {tls: [{secretName: x}]}");
    assertEquals("[{\"port\":8081,\"protocol\":\"TCP\"},{\"port\":8443,\"protocol\":\"TCP\"}]",
        IngressStatus.of(tls, nodes, 8081, 8443).at("/loadBalancer/ingress/0/ports").toString());
    assertEquals("{\"loadBalancer\":{}}", IngressStatus.of(plain, List.of(), 8081, 8443).toString());
  }
}
