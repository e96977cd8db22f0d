package dev.tugboat.kinds.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class KubernetesServiceTest {
  @Test
  void theServiceTakesTheRangesFirstAddressAndPort443() {
    var service = KubernetesService.service(ClusterIpRange.DEFAULT, 6443);
    assertEquals("10.96.0.1", service.at("/spec/clusterIP").asText());
    assertEquals("[{\"name\":\"https\",\"port\":443,\"protocol\":\"TCP\",\"targetPort\":6443}]",
        service.at("/spec/ports").toString());
    assertEquals("kubernetes", service.at("/metadata/name").asText());
    assertEquals("default", service.at("/metadata/namespace").asText());
    assertEquals("127.16.0.1", KubernetesService.clusterIp(ClusterIpRange.parse("127.16.0.0/12")));
  }

  @Test
  void endpointsGroupMembersByPortInAStableOrder() {
    var one = KubernetesService.subsets(List.of(new KubernetesService.ApiAddress("127.0.0.3", 6443),
        new KubernetesService.ApiAddress("127.0.0.2", 6443), new KubernetesService.ApiAddress("127.0.0.1", 40123)));
    var other = KubernetesService.subsets(List.of(new KubernetesService.ApiAddress("127.0.0.1", 40123),
        new KubernetesService.ApiAddress("127.0.0.2", 6443), new KubernetesService.ApiAddress("127.0.0.3", 6443)));
    assertEquals(one, other);
    assertEquals("[{\"addresses\":[{\"ip\":\"127.0.0.2\"},{\"ip\":\"127.0.0.3\"}],"
        + "\"ports\":[{\"name\":\"https\",\"port\":6443,\"protocol\":\"TCP\"}]},"
        + "{\"addresses\":[{\"ip\":\"127.0.0.1\"}],\"ports\":[{\"name\":\"https\",\"port\":40123,\"protocol\":\"TCP\"}]}]",
        one.toString());
  }

  @Test
  void theNamesTheServingCertificateCarries() {
    assertEquals(List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.corp.local"),
        KubernetesService.dnsNames("corp.local"));
  }
}
