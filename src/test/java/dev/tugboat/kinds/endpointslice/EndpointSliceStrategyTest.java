package dev.tugboat.kinds.endpointslice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.KindStrategy.Admission;
import dev.tugboat.model.Codec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSliceStrategyTest {
  private final EndpointSliceStrategy strategy = new EndpointSliceStrategy();

  private static ObjectNode yaml(String text) {
    return (ObjectNode) Codec.parseTree(text.getBytes(), true, false);
  }

  private static List<String> causes(Admission a) {
    assertEquals(422, a.failure().code());
    return a.failure().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }

  @Test
  void aSliceIsDefaultedAndPrintedAsKubectlDoes() {
    Admission a = strategy.admitCreate(yaml("""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: web-abcde, namespace: default, creationTimestamp: "2025-01-01T00:00:00Z"}
        addressType: IPv4
        endpoints:
        - {addresses: [127.0.0.1], conditions: {ready: true}, nodeName: node-a}
        - {addresses: [127.0.0.2], conditions: {ready: false}}
        - {addresses: [127.0.0.3]}
        - {addresses: [127.0.0.4]}
        ports: [{name: http, port: 23001}, {name: metrics, port: 23002}]
        """));
    assertNull(a.failure(), () -> String.valueOf(a.failure()));
    assertEquals("TCP", a.object().at("/ports/0/protocol").asText());
    assertEquals(List.of("web-abcde", "IPv4", "23001,23002", "127.0.0.1,127.0.0.2,127.0.0.3 + 1 more...", "10s"),
        new EndpointSlicePrinter().cells(a.object(), Instant.parse("2025-01-01T00:00:10Z")));
    assertEquals("<unset>", EndpointSlicePrinter.endpoints(Codec.parseTree("[]".getBytes(), true, false)));
    assertEquals("*", EndpointSlicePrinter.ports(Codec.parseTree("[{protocol: TCP}]".getBytes(), true, false)));
  }

  @Test
  void refusesBadAddressesPortsAndAChangedAddressType() {
    List<String> causes = causes(strategy.admitCreate(yaml("""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: bad, namespace: default}
        addressType: IPv4
        endpoints:
        - {addresses: []}
        - {addresses: [not-an-ip], hostname: Bad_Host}
        - {addresses: ["::1"]}
        ports: [{name: http, port: 80}, {name: http, port: 0, protocol: QUIC}]
        """)));
    assertEquals(List.of("endpoints[0].addresses: Required value: must contain at least 1 address",
        "endpoints[1].addresses[0]: Invalid value: \"not-an-ip\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        "endpoints[1].hostname", "endpoints[2].addresses[0]: Invalid value: \"::1\": must be an IPv4 address",
        "ports[1].name: Duplicate value: \"http\"",
        "ports[1].protocol: Unsupported value: \"QUIC\": supported values: \"TCP\", \"UDP\", \"SCTP\"",
        "ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive"),
        causes.stream().map(c -> c.startsWith("endpoints[1].hostname") ? "endpoints[1].hostname" : c).toList());
    assertEquals(List.of("addressType: Required value"), causes(strategy.admitCreate(yaml("""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: none, namespace: default}
        """))));
    ObjectNode current = strategy.admitCreate(yaml("""
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: s, namespace: default}
        addressType: IPv4
        """)).object();
    ObjectNode changed = current.deepCopy();
    changed.put("addressType", "FQDN");
    assertEquals(List.of("addressType: Invalid value: \"FQDN\": field is immutable"), causes(strategy.admitUpdate(current, changed)));
  }
}
