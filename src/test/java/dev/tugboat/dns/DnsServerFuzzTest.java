package dev.tugboat.dns;

import dev.tugboat.kinds.service.ClusterIpRange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Tcp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A seeded fuzz of the cluster DNS on its real sockets (UDP and TCP on loopback, names outside
 * the cluster forwarded to a stub upstream of the test's): every query gets an answer that parses,
 * under its id, FORMERR exactly when the query does not parse; a response is never answered; and
 * the server answers normally afterwards. Prints what the answers were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnsServerFuzzTest {
  private static final long SEED = 20261205L;
  private static final String[] NAMES = {"web.default.svc.cluster.local.", "nginx.default.svc.cluster.local.",
      "_http._tcp.web.default.svc.cluster.local.", "web-0.nginx.default.svc.cluster.local.", "db.shop.svc.cluster.local.",
      "nothing.default.svc.cluster.local.", "cluster.local.", "7.3.96.10.in-addr.arpa.", "example.com.",
      "a.b.c.example.org.", "1.0.0.10.in-addr.arpa."};
  private static final int[] TYPES = {Type.A, Type.AAAA, Type.SRV, Type.CNAME, Type.PTR, Type.ANY, Type.SOA, Type.TXT,
      Type.MX, Type.NS, Type.AXFR, Type.OPT, 0, 65535};

  private final ActorTestKit kit = ActorTestKit.create();
  private DnsServer.UdpListener upstreamUdp;
  private Tcp.ServerBinding upstreamTcp;
  private DnsServer.UdpListener udp;
  private Tcp.ServerBinding tcp;

  @BeforeAll
  void start() throws Exception {
    // The host's resolver, as a stub on UDP and TCP: NXDOMAIN for every query, nothing for garbage.
    DnsServer.Responder stub = (bytes, overTcp) -> {
      try {
        Message q = new Message(bytes);
        return CompletableFuture.completedFuture(ClusterResolver.reply(q, Rcode.NXDOMAIN, false).toWire(512));
      } catch (IOException e) {
        return CompletableFuture.completedFuture(null);
      }
    };
    upstreamUdp = DnsServer.bindUdp(new InetSocketAddress("127.0.0.1", 0), stub);
    upstreamTcp = DnsServer.bindTcp(kit.system(), upstreamUdp.address(), stub).toCompletableFuture()
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
    ServiceDirectory directory = new ServiceDirectory();
    ObjectMapper json = new ObjectMapper();
    directory.put("Service", (ObjectNode) json.readTree("""
        {"metadata":{"namespace":"default","name":"web"},"spec":{"clusterIP":"10.96.3.7",
         "ports":[{"name":"http","protocol":"TCP","port":80}]}}"""));
    directory.put("Service", (ObjectNode) json.readTree("""
        {"metadata":{"namespace":"default","name":"nginx"},"spec":{"clusterIP":"None","ports":[{"name":"web","port":80}]}}"""));
    directory.put("Service", (ObjectNode) json.readTree("""
        {"metadata":{"namespace":"shop","name":"db"},"spec":{"type":"ExternalName","externalName":"db.example.com"}}"""));
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 200; i++) many.append(i == 0 ? "" : ",").append("{\"ip\":\"10.1.").append(i / 250).append('.').append(i % 250).append("\"}");
    directory.put("Endpoints", (ObjectNode) json.readTree("""
        {"metadata":{"namespace":"default","name":"nginx"},"subsets":[{"ports":[{"name":"web","port":80}],"addresses":[%s]}]}"""
        .formatted(many)));
    QueryHandler handler = new QueryHandler(new ClusterResolver("cluster.local", ClusterIpRange.DEFAULT, 5, 1), directory,
        new Upstream(List.of(upstreamUdp.address()), Duration.ofSeconds(1)));
    udp = DnsServer.bindUdp(new InetSocketAddress("127.0.0.1", 0), handler::handle);
    tcp = DnsServer.bindTcp(kit.system(), new InetSocketAddress("127.0.0.1", 0), handler::handle)
        .toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() {
    if (udp != null) udp.close();
    if (upstreamUdp != null) upstreamUdp.close();
    if (tcp != null) tcp.unbind();
    if (upstreamTcp != null) upstreamTcp.unbind();
    kit.shutdownTestKit();
  }

  /** A message: a query of the cluster's names or others, mutated, or random bytes; never a response (QR clear). */
  private static byte[] fuzzed(Random random) throws IOException {
    byte[] bytes;
    int kind = random.nextInt(10);
    if (kind < 2) {
      bytes = new byte[random.nextInt(kind == 0 ? 14 : 600)];
      random.nextBytes(bytes);
    } else {
      Message q = Message.newQuery(Record.newRecord(Name.fromString(NAMES[random.nextInt(NAMES.length)]),
          TYPES[random.nextInt(TYPES.length)], random.nextInt(8) == 0 ? DClass.CH : DClass.IN));
      if (random.nextBoolean()) q.addRecord(new OPTRecord(random.nextInt(5000), 0, random.nextInt(3)), Section.ADDITIONAL);
      bytes = q.toWire();
      if (kind >= 5) {
        // flip bytes, cut or extend: a header that lies about its counts, a name that runs off the end
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        if (random.nextInt(3) == 0) bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
        if (random.nextInt(5) == 0) bytes = Arrays.copyOf(bytes, bytes.length + random.nextInt(40));
      }
    }
    if (bytes.length > 2) bytes[2] &= 0x7f; // a query, never a response
    return bytes;
  }

  /** What the answer to {@code query} must be; returns its rcode's name. */
  private static String check(byte[] query, byte[] reply) throws IOException {
    assertNotNull(reply, "no answer to " + Arrays.toString(query));
    Message answer = new Message(reply); // it parses
    assertTrue(answer.getHeader().getFlag(Flags.QR));
    byte[] head = Arrays.copyOf(query, 2);
    assertEquals(((head[0] & 0xff) << 8) | (head[1] & 0xff), answer.getHeader().getID(), "the query's id");
    boolean parses;
    try {
      new Message(query);
      parses = true;
    } catch (Exception e) {
      parses = false;
    }
    if (!parses) assertEquals(Rcode.FORMERR, answer.getRcode(), "a message that does not parse");
    return Rcode.string(answer.getRcode());
  }

  private static byte[] udpExchange(DatagramSocket socket, InetSocketAddress server, byte[] query) throws IOException {
    socket.send(new DatagramPacket(query, query.length, server));
    byte[] buffer = new byte[65535];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    try {
      socket.receive(packet);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return Arrays.copyOf(buffer, packet.getLength());
  }

  @Test
  void everyUdpQueryGetsAnAnswerOrFormerrAndTheServerKeepsAnswering() throws Exception {
    Random random = new Random(SEED);
    TreeMap<String, Integer> rcodes = new TreeMap<>();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(3000);
      for (int i = 0; i < 2000; i++) {
        byte[] query = fuzzed(random);
        rcodes.merge(check(query, udpExchange(socket, udp.address(), query)), 1, Integer::sum);
      }
      System.out.println("DnsServerFuzzTest: 2000 UDP messages from seed " + SEED + ", answers by rcode " + rcodes);
      assertTrue(rcodes.getOrDefault("FORMERR", 0) > 100 && rcodes.getOrDefault("NOERROR", 0) > 100
          && rcodes.getOrDefault("NXDOMAIN", 0) > 100, "the fuzz reached every kind of answer: " + rcodes);
      Message after = new Message(udpExchange(socket, udp.address(),
          Message.newQuery(Record.newRecord(Name.fromString("web.default.svc.cluster.local."), Type.A, DClass.IN)).toWire()));
      assertEquals("10.96.3.7", after.getSection(Section.ANSWER).get(0).rdataToString());
    }
  }

  @Test
  void aLargeAnswerIsTruncatedOverUdpAndWholeOverTcp() throws Exception {
    byte[] query = Message.newQuery(Record.newRecord(Name.fromString("nginx.default.svc.cluster.local."), Type.A,
        DClass.IN)).toWire();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(3000);
      byte[] reply = udpExchange(socket, udp.address(), query);
      assertTrue(reply.length <= 512, "a plain UDP answer fits 512 bytes: " + reply.length);
      assertTrue(new Message(reply).getHeader().getFlag(Flags.TC), "and says it was cut");
    }
    try (Socket socket = new Socket(tcp.localAddress().getAddress(), tcp.localAddress().getPort())) {
      socket.setSoTimeout(3000);
      Message whole = new Message(tcpExchange(socket, query));
      assertEquals(200, whole.getSection(Section.ANSWER).size());
    }
  }

  @Test
  void aResponseIsNeverAnswered() throws Exception {
    Message response = Message.newQuery(Record.newRecord(Name.fromString("web.default.svc.cluster.local."), Type.A, DClass.IN));
    response.getHeader().setFlag(Flags.QR);
    try (DatagramSocket socket = new DatagramSocket()) {
      // The claim is a non-event: no answer within a second, while a query sent after it is answered.
      socket.setSoTimeout(1000);
      socket.send(new DatagramPacket(response.toWire(), response.toWire().length, udp.address()));
      byte[] query = Message.newQuery(Record.newRecord(Name.fromString("web.default.svc.cluster.local."), Type.A,
          DClass.IN)).toWire();
      byte[] next = udpExchange(socket, udp.address(), query);
      Message answer = new Message(next);
      assertEquals(((query[0] & 0xff) << 8) | (query[1] & 0xff), answer.getHeader().getID(), "the query's answer, nothing else");
      assertEquals(null, udpExchange(socket, udp.address(), response.toWire()));
    }
  }

  private static byte[] tcpExchange(Socket socket, byte[] query) throws IOException {
    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
    out.writeShort(query.length);
    out.write(query);
    out.flush();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] reply = new byte[in.readUnsignedShort()];
    in.readFully(reply);
    return reply;
  }

  @Test
  void everyTcpQueryGetsAnAnswerOrFormerrAndBrokenConnectionsHarmNothing() throws Exception {
    Random random = new Random(SEED + 1);
    InetSocketAddress server = new InetSocketAddress(tcp.localAddress().getAddress(), tcp.localAddress().getPort());
    TreeMap<String, Integer> rcodes = new TreeMap<>();
    for (int c = 0; c < 20; c++) {
      try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
        socket.setSoTimeout(3000);
        // pipelined: all of a connection's queries first, then their answers, in order
        List<byte[]> queries = new java.util.ArrayList<>();
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        for (int i = 0; i < 25; i++) {
          byte[] query = fuzzed(random);
          queries.add(query);
          out.writeShort(query.length);
          out.write(query);
        }
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        for (byte[] query : queries) {
          byte[] reply = new byte[in.readUnsignedShort()];
          in.readFully(reply);
          rcodes.merge(check(query, reply), 1, Integer::sum);
        }
        if (c % 4 == 0) {
          // and then a frame that says more than comes, and the connection drops
          out.writeShort(300);
          out.write(new byte[random.nextInt(100)]);
          out.flush();
        }
      }
    }
    System.out.println("DnsServerFuzzTest: 500 TCP messages on 20 connections from seed " + (SEED + 1)
        + ", answers by rcode " + rcodes);
    try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
      socket.setSoTimeout(3000);
      Message after = new Message(tcpExchange(socket, Message.newQuery(Record.newRecord(
          Name.fromString("_http._tcp.web.default.svc.cluster.local."), Type.SRV, DClass.IN)).toWire()));
      assertEquals("0 100 80 web.default.svc.cluster.local.", after.getSection(Section.ANSWER).get(0).rdataToString());
    }
  }
}
