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
    Route route = new Route("default/web", 10800);
    InetAddress client = InetAddress.getByName("127.0.0.1");
    assertNull(route.choose(client), "no backend: the connection is refused");
    route.update(List.of(A, B), false);
    ServiceBackends.Backend first = route.choose(client);
    ServiceBackends.Backend second = route.choose(client);
    assertNotEquals(first, second);
    assertEquals(first, route.choose(client));
  }

  @Test
  void clientIpAffinityKeepsAClientOnItsBackendWhileItIsReady() throws Exception {
    Route route = new Route("default/web", 10800);
    route.update(List.of(A, B), true);
    InetAddress one = InetAddress.getByName("127.0.0.2");
    InetAddress two = InetAddress.getByName("127.0.0.3");
    ServiceBackends.Backend chosen = route.choose(one);
    for (int i = 0; i < 5; i++) {
      route.choose(two);
      assertEquals(chosen, route.choose(one));
    }
    ServiceBackends.Backend other = chosen.equals(A) ? B : A;
    route.update(List.of(other), true);
    assertEquals(other, route.choose(one), "its backend went away: another one");
  }
}
