package dev.tugboat.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tugboat.model.Codec;
import dev.tugboat.model.Pod;
import dev.tugboat.runtime.DnsConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pod's resolv.conf by dnsPolicy and dnsConfig, merged as the kubelet merges them. */
class PodDnsTest {
  private static final DnsConfig HOST = DnsConfig.parse("""
      # the host's
      nameserver 10.255.255.53
      nameserver 127.0.0.53
      search corp.example
      options timeout:2 attempts:3
      """);

  private static Pod pod(String spec) {
    return (Pod) Codec.readManifests("{apiVersion: v1, kind: Pod, metadata: {name: web-0, namespace: shop}, spec: {"
        + spec + (spec.isEmpty() ? "" : ", ") + "containers: [{name: c, image: i}]}}").get(0);
  }

  private static DnsConfig conf(String spec) {
    return PodDns.resolvConf(pod(spec), "172.17.0.1", "cluster.local", HOST);
  }

  @Test
  void clusterFirstIsTheClusterDnsWithTheNamespacesSearchDomainsAndNdots5() {
    DnsConfig c = conf("");
    assertEquals(List.of("172.17.0.1"), c.servers());
    assertEquals(List.of("shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example"), c.searches());
    assertEquals(List.of("ndots:5"), c.options());
    assertEquals("search shop.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 172.17.0.1\n"
        + "options ndots:5\n", c.render());
    assertEquals(c, conf("dnsPolicy: ClusterFirstWithHostNet"));
  }

  @Test
  void defaultIsTheHostsFileWithoutItsLoopbackNameservers() {
    DnsConfig c = conf("dnsPolicy: Default");
    assertEquals(List.of("10.255.255.53"), c.servers());
    assertEquals(List.of("corp.example"), c.searches());
    assertEquals(List.of("timeout:2", "attempts:3"), c.options());
  }

  @Test
  void noneIsOnlyTheDnsConfig() {
    DnsConfig c = conf("dnsPolicy: None, dnsConfig: {nameservers: [192.0.2.53], searches: [a.example], "
        + "options: [{name: ndots, value: '1'}, {name: edns0}]}");
    assertEquals(new DnsConfig(List.of("192.0.2.53"), List.of("a.example"), List.of("ndots:1", "edns0")), c);
  }

  @Test
  void dnsConfigIsAppendedAndItsOptionsReplaceThoseOfTheSameName() {
    DnsConfig c = conf("dnsConfig: {nameservers: [192.0.2.53, 172.17.0.1], searches: [a.example, cluster.local], "
        + "options: [{name: ndots, value: '2'}, {name: single-request-reopen}]}");
    assertEquals(List.of("172.17.0.1", "192.0.2.53"), c.servers());
    assertEquals(List.of("shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example", "a.example"),
        c.searches());
    assertEquals(List.of("ndots:2", "single-request-reopen"), c.options());
  }

  @Test
  void whatResolversCannotReadIsCut() {
    DnsConfig c = conf("dnsConfig: {nameservers: [192.0.2.1, 192.0.2.2, 192.0.2.3]}");
    assertEquals(List.of("172.17.0.1", "192.0.2.1", "192.0.2.2"), c.servers());
  }

  @Test
  void withoutAClusterDnsClusterFirstFallsBackToTheHost() {
    assertEquals(conf("dnsPolicy: Default"), PodDns.resolvConf(pod(""), null, "cluster.local", HOST));
  }

  @Test
  void theHostnameIsTheSpecsOrThePodsNameAndTheSubdomainMakesADomain() {
    assertEquals("web-0", PodDns.hostname(pod("")));
    assertEquals("db", PodDns.hostname(pod("hostname: db")));
    assertNull(PodDns.domain(pod(""), "cluster.local"));
    assertEquals("nginx.shop.svc.cluster.local", PodDns.domain(pod("subdomain: nginx"), "cluster.local"));
    Pod longName = (Pod) Codec.readManifests("{apiVersion: v1, kind: Pod, metadata: {name: " + "a".repeat(62) + "-b}, "
        + "spec: {containers: [{name: c, image: i}]}}").get(0);
    assertEquals("a".repeat(62), PodDns.hostname(longName));
  }

  @Test
  void aResolvConfIsReadAsGlibcReadsIt() {
    DnsConfig c = DnsConfig.parse("domain one.example\nsearch a.example b.example\n; comment\nnameserver 1.1.1.1\n"
        + "sortlist 10.0.0.0\noptions ndots:2\noptions rotate\nnameserver\n");
    assertEquals(new DnsConfig(List.of("1.1.1.1"), List.of("a.example", "b.example"), List.of("ndots:2", "rotate")), c);
    assertEquals(DnsConfig.EMPTY, DnsConfig.read(java.nio.file.Path.of("/nonexistent/resolv.conf")));
  }
}
