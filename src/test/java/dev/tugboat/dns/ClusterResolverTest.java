package dev.tugboat.dns;

import dev.tugboat.kinds.service.ClusterIpRange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The cluster's answers, question by question, from a {@link ServiceDirectory} filled with the
 * objects the index would hold: no actor, no socket.
 */
class ClusterResolverTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ClusterResolver resolver = new ClusterResolver("cluster.local", ClusterIpRange.DEFAULT, 5, 1);
  private ServiceDirectory directory;

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    } catch (IOException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  @BeforeEach
  void objects() {
    directory = new ServiceDirectory();
    directory.put("Service", json("""
        {'metadata':{'namespace':'default','name':'web'},'spec':{'type':'ClusterIP','clusterIP':'10.96.3.7',
         'ports':[{'name':'http','protocol':'TCP','port':80,'targetPort':'http'},{'name':'dns','protocol':'UDP','port':53}]}}"""));
    directory.put("Service", json("""
        {'metadata':{'namespace':'default','name':'nginx'},'spec':{'clusterIP':'None',
         'ports':[{'name':'web','protocol':'TCP','port':80}]}}"""));
    directory.put("Service", json("""
        {'metadata':{'namespace':'shop','name':'db'},'spec':{'type':'ExternalName','externalName':'db.example.com'}}"""));
    directory.put("Service", json("""
        {'metadata':{'namespace':'shop','name':'front'},'spec':{'type':'ExternalName','externalName':'web.default.svc.cluster.local'}}"""));
    directory.put("Service", json("""
        {'metadata':{'namespace':'default','name':'pending'},'spec':{'ports':[{'port':80}]}}"""));
    // The controller's Endpoints of the headless Service: node address and host ports; the pods say their own.
    directory.put("Endpoints", json("""
        {'metadata':{'namespace':'default','name':'nginx'},'subsets':[{'ports':[{'name':'web','port':32801,'protocol':'TCP'}],
         'addresses':[{'ip':'127.0.0.1','hostname':'web-0','targetRef':{'kind':'Pod','name':'web-0','uid':'u0'}},
                      {'ip':'127.0.0.1','targetRef':{'kind':'Pod','name':'loose','uid':'u2'}}],
         'notReadyAddresses':[{'ip':'127.0.0.1','hostname':'web-1','targetRef':{'kind':'Pod','name':'web-1','uid':'u1'}}]}]}"""));
    directory.put("Pod", json("""
        {'metadata':{'namespace':'default','name':'web-0','uid':'u0'},'status':{'podIP':'172.17.0.5',
         'publishedPorts':[{'containerPort':8080,'hostPort':32801,'protocol':'TCP'}]}}"""));
    directory.put("Pod", json("""
        {'metadata':{'namespace':'default','name':'web-1','uid':'u1'},'status':{'podIP':'172.17.0.6'}}"""));
    directory.put("Pod", json("""
        {'metadata':{'namespace':'default','name':'loose','uid':'u2'},'status':{'podIP':'172.17.0.7',
         'publishedPorts':[{'containerPort':8080,'hostPort':32801,'protocol':'TCP'}]}}"""));
  }

  private static Message query(String name, int type) {
    try {
      return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    } catch (IOException e) {
      throw new IllegalArgumentException(name, e);
    }
  }

  private Message answer(String name, int type) {
    Resolution r = resolver.resolve(query(name, type), directory);
    return assertInstanceOf(Resolution.Answer.class, r, name + " " + Type.string(type)).response();
  }

  private static List<String> rdata(Message m, int section) {
    return m.getSection(section).stream().map(r -> Type.string(r.getType()) + " " + r.rdataToString()).toList();
  }

  @Test
  void aServiceNameIsItsClusterIpAuthoritatively() {
    Message m = answer("web.default.svc.cluster.local.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertTrue(m.getHeader().getFlag(Flags.AA));
    assertTrue(m.getHeader().getFlag(Flags.QR));
    assertEquals(List.of("A 10.96.3.7"), rdata(m, Section.ANSWER));
    assertEquals(5, m.getSection(Section.ANSWER).get(0).getTTL());
    assertEquals("web.default.svc.cluster.local.", m.getSection(Section.ANSWER).get(0).getName().toString());
    // DNS names are case-insensitive; the answer keeps the question's spelling
    Message upper = answer("WEB.Default.SVC.cluster.LOCAL.", Type.A);
    assertEquals(List.of("A 10.96.3.7"), rdata(upper, Section.ANSWER));
    assertEquals("WEB.Default.SVC.cluster.LOCAL.", upper.getSection(Section.ANSWER).get(0).getName().toString());
  }

  @Test
  void aNameWithoutRecordsOfTheTypeIsNodataWithTheSoa() {
    Message m = answer("web.default.svc.cluster.local.", Type.AAAA);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertEquals(List.of(), m.getSection(Section.ANSWER));
    assertEquals(Type.SOA, m.getSection(Section.AUTHORITY).get(0).getType());
    assertEquals(5, ((org.xbill.DNS.SOARecord) m.getSection(Section.AUTHORITY).get(0)).getMinimum());
    // a Service the controller has not given a cluster IP yet exists, without an address
    Message pending = answer("pending.default.svc.cluster.local.", Type.A);
    assertEquals(Rcode.NOERROR, pending.getRcode());
    assertEquals(List.of(), pending.getSection(Section.ANSWER));
  }

  @Test
  void everyOtherNameOfTheClusterDomainIsNxdomain() {
    for (String name : List.of("nothing.default.svc.cluster.local.", "web.other.svc.cluster.local.",
        "web.default.pod.cluster.local.", "x.cluster.local.", "a.b.web.default.svc.cluster.local.",
        "nosuchns.svc.cluster.local.", "web-0.web.default.svc.cluster.local.")) {
      Message m = answer(name, Type.A);
      assertEquals(Rcode.NXDOMAIN, m.getRcode(), name);
      assertTrue(m.getHeader().getFlag(Flags.AA), name);
      assertEquals(Type.SOA, m.getSection(Section.AUTHORITY).get(0).getType(), name);
    }
    // names above the Services exist, empty: the zone, svc, a namespace with Services
    for (String name : List.of("cluster.local.", "svc.cluster.local.", "default.svc.cluster.local.", "shop.svc.cluster.local.")) {
      assertEquals(Rcode.NOERROR, answer(name, Type.A).getRcode(), name);
    }
    assertEquals(List.of("SOA ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 5"),
        rdata(answer("cluster.local.", Type.SOA), Section.ANSWER));
  }

  @Test
  void aHeadlessServiceIsItsReadyPodsOwnAddresses() {
    Message m = answer("nginx.default.svc.cluster.local.", Type.A);
    // the pods' addresses (what another pod connects to), not the node's 127.0.0.1; web-1 is not ready
    assertEquals(List.of("A 172.17.0.5", "A 172.17.0.7"), rdata(m, Section.ANSWER));
  }

  @Test
  void aStatefulSetPodIsNamedByItsHostnameAndOthersByTheirAddress() {
    assertEquals(List.of("A 172.17.0.5"), rdata(answer("web-0.nginx.default.svc.cluster.local.", Type.A), Section.ANSWER));
    assertEquals(List.of("A 172.17.0.7"), rdata(answer("172-17-0-7.nginx.default.svc.cluster.local.", Type.A),
        Section.ANSWER));
    // not ready: not in DNS
    assertEquals(Rcode.NXDOMAIN, answer("web-1.nginx.default.svc.cluster.local.", Type.A).getRcode());
    // exists, but has no IPv6 address
    Message aaaa = answer("web-0.nginx.default.svc.cluster.local.", Type.AAAA);
    assertEquals(Rcode.NOERROR, aaaa.getRcode());
    assertEquals(List.of(), aaaa.getSection(Section.ANSWER));
  }

  @Test
  void srvNamesTheServiceAndItsPort() {
    Message m = answer("_http._tcp.web.default.svc.cluster.local.", Type.SRV);
    assertEquals(List.of("SRV 0 100 80 web.default.svc.cluster.local."), rdata(m, Section.ANSWER));
    assertEquals(List.of("A 10.96.3.7"), rdata(m, Section.ADDITIONAL));
    assertEquals(List.of("SRV 0 100 53 web.default.svc.cluster.local."),
        rdata(answer("_dns._udp.web.default.svc.cluster.local.", Type.SRV), Section.ANSWER));
    assertEquals(Rcode.NXDOMAIN, answer("_http._udp.web.default.svc.cluster.local.", Type.SRV).getRcode());
    assertEquals(Rcode.NXDOMAIN, answer("_https._tcp.web.default.svc.cluster.local.", Type.SRV).getRcode());
    assertEquals(Rcode.NXDOMAIN, answer("http.tcp.web.default.svc.cluster.local.", Type.SRV).getRcode());
    // the SRV name exists; it has no address of its own
    assertEquals(Rcode.NOERROR, answer("_http._tcp.web.default.svc.cluster.local.", Type.A).getRcode());
  }

  @Test
  void srvOfAHeadlessServiceIsOneRecordPerReadyPodAtItsContainerPort() {
    Message m = answer("_web._tcp.nginx.default.svc.cluster.local.", Type.SRV);
    List<SRVRecord> srv = m.getSection(Section.ANSWER).stream().map(SRVRecord.class::cast).toList();
    assertEquals(List.of("web-0.nginx.default.svc.cluster.local.", "172-17-0-7.nginx.default.svc.cluster.local."),
        srv.stream().map(r -> r.getTarget().toString()).toList());
    assertTrue(srv.stream().allMatch(r -> r.getPort() == 8080), "the container port, not the host port: " + srv);
    assertEquals(List.of("A 172.17.0.5", "A 172.17.0.7"), rdata(m, Section.ADDITIONAL));
  }

  @Test
  void anExternalNameIsACnameAndItsTargetIsChasedOutside() {
    Message cname = answer("db.shop.svc.cluster.local.", Type.CNAME);
    assertEquals(List.of("CNAME db.example.com."), rdata(cname, Section.ANSWER));
    Resolution a = resolver.resolve(query("db.shop.svc.cluster.local.", Type.A), directory);
    Resolution.Chase chase = assertInstanceOf(Resolution.Chase.class, a);
    assertEquals("db.example.com.", chase.target().toString());
    assertEquals(Type.A, chase.type());
    assertEquals(List.of("CNAME db.example.com."), rdata(chase.response(), Section.ANSWER));
    // an alias of a cluster name is answered whole here
    Message inside = answer("front.shop.svc.cluster.local.", Type.A);
    assertEquals(List.of("CNAME web.default.svc.cluster.local.", "A 10.96.3.7"), rdata(inside, Section.ANSWER));
    assertEquals(Rcode.NXDOMAIN, answer("_http._tcp.db.shop.svc.cluster.local.", Type.SRV).getRcode());
  }

  @Test
  void aClusterIpPointsBackToItsService() {
    assertEquals(List.of("PTR web.default.svc.cluster.local."),
        rdata(answer("7.3.96.10.in-addr.arpa.", Type.PTR), Section.ANSWER));
    // the cluster IPs' range is the cluster's: an unknown one does not exist
    assertEquals(Rcode.NXDOMAIN, answer("8.3.96.10.in-addr.arpa.", Type.PTR).getRcode());
    // anyone else's addresses are the host resolvers' to answer
    assertInstanceOf(Resolution.Forward.class, resolver.resolve(query("1.0.0.10.in-addr.arpa.", Type.PTR), directory));
    assertInstanceOf(Resolution.Forward.class, resolver.resolve(query("3.96.10.in-addr.arpa.", Type.PTR), directory));
  }

  @Test
  void namesOutsideTheClusterAreForwarded() {
    for (String name : List.of("example.com.", "cluster.local.example.com.", "local.", "svc.cluster.")) {
      assertInstanceOf(Resolution.Forward.class, resolver.resolve(query(name, Type.A), directory), name);
    }
  }

  @Test
  void whatIsNoPlainQueryIsRefusedOrIgnored() {
    Message response = query("web.default.svc.cluster.local.", Type.A);
    response.getHeader().setFlag(Flags.QR);
    assertInstanceOf(Resolution.Ignore.class, resolver.resolve(response, directory));
    Message notify = query("web.default.svc.cluster.local.", Type.A);
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    assertEquals(Rcode.NOTIMP, ((Resolution.Answer) resolver.resolve(notify, directory)).response().getRcode());
    Message two = query("web.default.svc.cluster.local.", Type.A);
    two.addRecord(query("nginx.default.svc.cluster.local.", Type.A).getQuestion(), Section.QUESTION);
    assertEquals(Rcode.FORMERR, ((Resolution.Answer) resolver.resolve(two, directory)).response().getRcode());
    assertEquals(Rcode.REFUSED, answer("cluster.local.", Type.AXFR).getRcode());
    assertEquals(Rcode.REFUSED, answer("example.com.", Type.AXFR).getRcode());
  }

  @Test
  void anEdnsQueryGetsAnOptBack() {
    Message q = query("web.default.svc.cluster.local.", Type.A);
    q.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    Message m = ((Resolution.Answer) resolver.resolve(q, directory)).response();
    assertEquals(ClusterResolver.EDNS_PAYLOAD, m.getOPT().getPayloadSize());
    assertEquals(q.getHeader().getID(), m.getHeader().getID());
  }

  @Test
  void aServiceWithoutASelectorAnswersFromItsHandWrittenEndpoints() {
    directory.put("Service", json("""
        {'metadata':{'namespace':'default','name':'legacy'},'spec':{'clusterIP':'None','ports':[{'name':'pg','port':5432}]}}"""));
    directory.put("Endpoints", json("""
        {'metadata':{'namespace':'default','name':'legacy'},'subsets':[{'addresses':[{'ip':'192.0.2.10'},{'ip':'192.0.2.11'}],
         'ports':[{'name':'pg','port':5433}]}]}"""));
    assertEquals(List.of("A 192.0.2.10", "A 192.0.2.11"),
        rdata(answer("legacy.default.svc.cluster.local.", Type.A), Section.ANSWER));
    assertEquals(List.of("SRV 0 50 5433 192-0-2-10.legacy.default.svc.cluster.local.",
            "SRV 0 50 5433 192-0-2-11.legacy.default.svc.cluster.local."),
        rdata(answer("_pg._tcp.legacy.default.svc.cluster.local.", Type.SRV), Section.ANSWER));
  }

  @Test
  void changesAreAnsweredAtOnceAndDeletedServicesDisappear() {
    assertEquals(Rcode.NXDOMAIN, answer("late.default.svc.cluster.local.", Type.A).getRcode());
    ObjectNode late = json("{'metadata':{'namespace':'default','name':'late'},'spec':{'clusterIP':'10.96.9.9','ports':[{'port':80}]}}");
    directory.put("Service", late);
    assertEquals(List.of("A 10.96.9.9"), rdata(answer("late.default.svc.cluster.local.", Type.A), Section.ANSWER));
    assertEquals(List.of("PTR late.default.svc.cluster.local."), rdata(answer("9.9.96.10.in-addr.arpa.", Type.PTR),
        Section.ANSWER));
    directory.remove("Service", late);
    assertEquals(Rcode.NXDOMAIN, answer("late.default.svc.cluster.local.", Type.A).getRcode());
    assertEquals(Rcode.NXDOMAIN, answer("9.9.96.10.in-addr.arpa.", Type.PTR).getRcode());
    // a pod that turns ready joins its headless Service's answer as soon as its Endpoints say so
    directory.put("Endpoints", json("""
        {'metadata':{'namespace':'default','name':'nginx'},'subsets':[{'ports':[{'name':'web','port':32801}],
         'addresses':[{'ip':'127.0.0.1','hostname':'web-1','targetRef':{'kind':'Pod','uid':'u1'}}]}]}"""));
    assertEquals(List.of("A 172.17.0.6"), rdata(answer("nginx.default.svc.cluster.local.", Type.A), Section.ANSWER));
  }

  @Test
  void theClusterDomainIsConfigurable() {
    ClusterResolver other = new ClusterResolver("tugboat.internal", ClusterIpRange.DEFAULT, 30, 1);
    Message m = ((Resolution.Answer) other.resolve(query("web.default.svc.tugboat.internal.", Type.A), directory)).response();
    assertEquals(List.of("A 10.96.3.7"), rdata(m, Section.ANSWER));
    assertEquals(30, m.getSection(Section.ANSWER).get(0).getTTL());
    assertInstanceOf(Resolution.Forward.class, other.resolve(query("web.default.svc.cluster.local.", Type.A), directory));
  }

  @Test
  void anyAsksForEveryRecordOfTheName() {
    String all = rdata(answer("web.default.svc.cluster.local.", Type.ANY), Section.ANSWER).stream()
        .collect(Collectors.joining(","));
    assertEquals("A 10.96.3.7", all);
  }
}
