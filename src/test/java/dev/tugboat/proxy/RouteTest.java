package dev.tugboat.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTest {
  private static final ServiceBackends.Backend A = new ServiceBackends.Backend("127.0.0.1", 1, "a", "n1");
  private static final ServiceBackends.Backend B = new ServiceBackends.Backend("127.0.0.1", 2, "b", "n1");

  @Test
  void backendsAreTakenInTurn() throws Exception {
    Route route = new Route("default/web");
    InetAddress client = InetAddress.getByName("127.0.0.1");
    assertNull(route.choose(client), "no backend: the connection is refused");
    route.update(List.of(A, B), false, 10800);
    ServiceBackends.Backend first = route.choose(client);
    ServiceBackends.Backend second = route.choose(client);
    assertNotEquals(first, second);
    assertEquals(first, route.choose(client));
  }

  @Test
  void clientIpAffinityKeepsAClientOnItsBackendWhileItIsReady() throws Exception {
    Route route = new Route("default/web");
    route.update(List.of(A, B), true, 10800);
    InetAddress one = InetAddress.getByName("127.0.0.2");
    InetAddress two = InetAddress.getByName("127.0.0.3");
    ServiceBackends.Backend chosen = route.choose(one);
    for (int i = 0; i < 5; i++) {
      route.choose(two);
      assertEquals(chosen, route.choose(one));
    }
    ServiceBackends.Backend other = chosen.equals(A) ? B : A;
    route.update(List.of(other), true, 10800);
    assertEquals(other, route.choose(one), "its backend went away: another one");
  }

  @Test
  void aClientLeavesItsBackendWhenItsAffinityTimesOut() throws Exception {
    Route route = new Route("default/web");
    route.update(List.of(A, B), true, 60);
    InetAddress client = InetAddress.getByName("127.0.0.4");
    long t0 = System.nanoTime();
    ServiceBackends.Backend chosen = route.choose(client, t0);
    assertEquals(chosen, route.choose(client, t0 + 59_000_000_000L), "within the timeout: the same backend");
    assertEquals(chosen, route.choose(client, t0 + 118_000_000_000L), "each connection renews it");
    ServiceBackends.Backend after = route.choose(client, t0 + 178_000_000_001L);
    assertNotEquals(chosen, after, "60 s after its last connection the client is taken in turn again");
  }
}
