package dev.tugboat.dns;

import dev.tugboat.kinds.service.ClusterIpRange;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Answers a DNS query for the cluster from a {@link ClusterView}, without I/O: the records of
 * Kubernetes' DNS specification for Services
 * (github.com/kubernetes/dns/blob/master/docs/specification.md), as CoreDNS's kubernetes plugin
 * gives them.
 *
 * <table>
 *   <caption>What it answers</caption>
 *   <tr><th>name</th><th>records</th></tr>
 *   <tr><td>{@code web.ns.svc.<domain>}</td><td>A: the cluster IP; a headless Service: one A per
 *       ready address; ExternalName: a CNAME (and the target's records)</td></tr>
 *   <tr><td>{@code web-0.web.ns.svc.<domain>}</td><td>A: a headless Service's ready address of that
 *       hostname (StatefulSet pods), or of that address with dashes ({@code 172-17-0-5})</td></tr>
 *   <tr><td>{@code _http._tcp.web.ns.svc.<domain>}</td><td>SRV for the named port: the Service's
 *       name and port, or one per ready address of a headless Service, with their A records as
 *       additional records</td></tr>
 *   <tr><td>{@code d.c.b.a.in-addr.arpa}</td><td>PTR of a cluster IP</td></tr>
 * </table>
 *
 * Any other name of the cluster domain (and of the cluster IPs' reverse zone) is NXDOMAIN; a name
 * that exists without records of the asked type is NODATA (NOERROR, empty, the zone's SOA as
 * authority, so that a client may cache the absence for the TTL). Every other name is {@link
 * Resolution.Forward}ed to the host's resolvers. Answers about the cluster are authoritative.
 */
public final class ClusterResolver {
  /** The payload this server offers with EDNS: the size that avoids IP fragmentation (DNS flag day 2020). */
  static final int EDNS_PAYLOAD = 1232;
  private static final Name IN_ADDR_ARPA = Name.fromConstantString("in-addr.arpa.");

  private final Name zone;
  private final ClusterIpRange clusterIps;
  private final long ttl;
  private final SOARecord soa;

  /**
   * @param clusterDomain {@code cluster.local}
   * @param clusterIps where cluster IPs are allocated: the reverse names this server is authoritative for
   * @param ttlSeconds the TTL of every answer, and the SOA minimum (how long an absence is cached)
   * @param serial the SOA serial (the server's start: a client can tell a restarted server)
   */
  public ClusterResolver(String clusterDomain, ClusterIpRange clusterIps, long ttlSeconds, long serial) {
    this.zone = absolute(clusterDomain);
    this.clusterIps = clusterIps;
    this.ttl = ttlSeconds;
    this.soa = soa(zone, serial);
  }

  public Name zone() {
    return zone;
  }

  private SOARecord soa(Name apex, long serial) {
    try {
      return new SOARecord(apex, DClass.IN, ttl, Name.concatenate(Name.fromConstantString("ns.dns"), zone),
          Name.concatenate(Name.fromConstantString("hostmaster"), zone), serial, 7200, 1800, 86400, ttl);
    } catch (NameTooLongException e) {
      throw new IllegalArgumentException("cluster domain too long: " + zone, e);
    }
  }

  /** What to do with {@code query}, a message that parsed. */
  public Resolution resolve(Message query, ClusterView view) {
    if (query.getHeader().getFlag(Flags.QR)) return new Resolution.Ignore();
    if (query.getHeader().getOpcode() != Opcode.QUERY) return new Resolution.Answer(reply(query, Rcode.NOTIMP, false));
    // Exactly one question: what every resolver sends, and what an answer can be about.
    if (query.getHeader().getCount(Section.QUESTION) != 1) return new Resolution.Answer(reply(query, Rcode.FORMERR, false));
    Record question = query.getQuestion();
    Name name = question.getName().canonicalize();
    int type = question.getType();
    if (type == Type.AXFR || type == Type.IXFR || type == Type.MAILA || type == Type.MAILB) {
      // No zone transfers of the cluster, and none relayed for others.
      return new Resolution.Answer(reply(query, Rcode.REFUSED, false));
    }
    boolean ours = name.subdomain(zone);
    Optional<String> reverse = reverseIpv4(name);
    if (!ours && reverse.isEmpty()) return new Resolution.Forward();
    if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
      return new Resolution.Answer(reply(query, ours ? Rcode.NOTIMP : Rcode.REFUSED, false));
    }
    if (!ours) return pointer(query, reverse.get(), view);

    Message response = reply(query, Rcode.NOERROR, true);
    Name owner = question.getName();
    String[] labels = relativeLabels(name);
    // labels are from the zone down: {"svc", ns, service, ...}
    if (labels.length == 0) {
      if (type == Type.SOA || type == Type.ANY) response.addRecord(soa, Section.ANSWER);
      return done(response, type);
    }
    if (!labels[0].equals("svc")) return nxdomain(response);
    if (labels.length == 1) return done(response, type);
    String namespace = labels[1];
    if (labels.length == 2) return view.hasNamespace(namespace) ? done(response, type) : nxdomain(response);
    Optional<ClusterView.Service> found = view.service(namespace, labels[2]);
    if (found.isEmpty()) return nxdomain(response);
    ClusterView.Service service = found.get();
    return switch (labels.length) {
      case 3 -> service(query, response, owner, type, service, view, 0);
      case 4 -> endpoint(response, owner, type, service, labels[3], view);
      case 5 -> srv(response, owner, type, service, labels[3], labels[4], view);
      default -> nxdomain(response);
    };
  }

  /** {@code web.ns.svc.<domain>}. */
  private Resolution service(Message query, Message response, Name owner, int type, ClusterView.Service service,
      ClusterView view, int depth) {
    if (service.externalName() != null) {
      Name target;
      try {
        target = absolute(service.externalName());
      } catch (IllegalArgumentException e) {
        return done(response, type); // an alias that is no name: it exists, with nothing to say
      }
      response.addRecord(new CNAMERecord(owner, DClass.IN, ttl, target), Section.ANSWER);
      if (type == Type.CNAME) return done(response, type);
      if (!target.canonicalize().subdomain(zone)) return new Resolution.Chase(response, target, type);
      // An alias of a cluster name: its records are here. One step, as an alias of an alias would loop.
      String[] labels = relativeLabels(target.canonicalize());
      if (depth == 0 && labels.length == 3 && labels[0].equals("svc")) {
        Optional<ClusterView.Service> next = view.service(labels[1], labels[2]);
        if (next.isPresent() && next.get().externalName() == null) {
          service(query, response, target, type, next.get(), view, 1);
        }
      }
      return done(response, type);
    }
    if (type == Type.A || type == Type.AAAA || type == Type.ANY) {
      if (service.headless()) {
        // AAAA only where a hand-written Endpoints has IPv6 addresses; pods' are IPv4 here.
        for (ClusterView.Endpoint e : view.readyEndpoints(service.namespace(), service.name())) {
          address(owner, e.ip()).filter(r -> type == Type.ANY || r.getType() == type)
              .ifPresent(r -> addOnce(response, r, Section.ANSWER));
        }
      } else if (service.clusterIp() != null) {
        address(owner, service.clusterIp()).filter(r -> type == Type.ANY || r.getType() == type)
            .ifPresent(r -> addOnce(response, r, Section.ANSWER));
      }
    }
    return done(response, type);
  }

  /** {@code web-0.web.ns.svc.<domain>}: an address of a headless Service, by hostname or dashed address. */
  private Resolution endpoint(Message response, Name owner, int type, ClusterView.Service service, String label,
      ClusterView view) {
    if (!service.headless()) return nxdomain(response);
    boolean exists = false;
    for (ClusterView.Endpoint e : view.readyEndpoints(service.namespace(), service.name())) {
      String name = e.hostname() != null ? e.hostname() : e.ip().replace('.', '-').replace(':', '-');
      if (!name.equalsIgnoreCase(label)) continue;
      exists = true;
      Optional<Record> record = address(owner, e.ip());
      if (record.isPresent() && (type == Type.ANY || record.get().getType() == type)) {
        addOnce(response, record.get(), Section.ANSWER);
      }
    }
    return exists ? done(response, type) : nxdomain(response);
  }

  /** {@code _http._tcp.web.ns.svc.<domain>}: the named port, as SRV records. */
  private Resolution srv(Message response, Name owner, int type, ClusterView.Service service, String protoLabel,
      String portLabel, ClusterView view) {
    if (!portLabel.startsWith("_") || !protoLabel.startsWith("_") || service.externalName() != null) {
      return nxdomain(response);
    }
    String portName = portLabel.substring(1);
    String protocol = protoLabel.substring(1).toUpperCase(Locale.ROOT);
    Optional<ClusterView.Port> port = service.ports().stream()
        .filter(p -> !p.name().isEmpty() && p.name().equalsIgnoreCase(portName) && p.protocol().equals(protocol)).findFirst();
    if (port.isEmpty()) return nxdomain(response);
    if (type != Type.SRV && type != Type.ANY) return done(response, type);
    Name serviceName = serviceName(service);
    if (!service.headless()) {
      if (service.clusterIp() == null) return done(response, type);
      response.addRecord(new SRVRecord(owner, DClass.IN, ttl, 0, 100, port.get().port(), serviceName), Section.ANSWER);
      address(serviceName, service.clusterIp()).ifPresent(r -> response.addRecord(r, Section.ADDITIONAL));
      return done(response, type);
    }
    List<Record> targets = new ArrayList<>();
    List<int[]> ports = new ArrayList<>();
    List<Name> names = new ArrayList<>();
    for (ClusterView.Endpoint e : view.readyEndpoints(service.namespace(), service.name())) {
      Optional<ClusterView.Port> p = e.ports().stream()
          .filter(x -> x.name().equalsIgnoreCase(portName) && x.protocol().equals(protocol)).findFirst();
      if (p.isEmpty()) continue;
      Name target;
      try {
        String label = e.hostname() != null ? e.hostname() : e.ip().replace('.', '-').replace(':', '-');
        target = Name.concatenate(Name.fromString(label), serviceName);
      } catch (TextParseException | NameTooLongException ex) {
        continue;
      }
      Optional<Record> a = address(target, e.ip());
      if (a.isEmpty()) continue;
      names.add(target);
      ports.add(new int[] {p.get().port()});
      targets.add(a.get());
    }
    // Equal weights that add up to about 100: clients spread over the addresses evenly.
    int weight = names.isEmpty() ? 0 : Math.max(1, 100 / names.size());
    for (int i = 0; i < names.size(); i++) {
      addOnce(response, new SRVRecord(owner, DClass.IN, ttl, 0, weight, ports.get(i)[0], names.get(i)), Section.ANSWER);
      addOnce(response, targets.get(i), Section.ADDITIONAL);
    }
    return done(response, type);
  }

  /** PTR of {@code d.c.b.a.in-addr.arpa}: a cluster IP's Service, else NXDOMAIN in the cluster IPs' range, else forwarded. */
  private Resolution pointer(Message query, String ip, ClusterView view) {
    Optional<ClusterView.Service> service = view.serviceByClusterIp(ip);
    if (service.isEmpty()) {
      if (!clusterIps.contains(ip)) return new Resolution.Forward();
      Message response = reply(query, Rcode.NXDOMAIN, true);
      response.addRecord(soa, Section.AUTHORITY);
      return new Resolution.Answer(response);
    }
    Message response = reply(query, Rcode.NOERROR, true);
    int type = query.getQuestion().getType();
    if (type == Type.PTR || type == Type.ANY) {
      response.addRecord(new PTRRecord(query.getQuestion().getName(), DClass.IN, ttl, serviceName(service.get())),
          Section.ANSWER);
    }
    return done(response, type);
  }

  /** The IPv4 address of {@code d.c.b.a.in-addr.arpa.}; empty for any other name. */
  static Optional<String> reverseIpv4(Name name) {
    if (!name.subdomain(IN_ADDR_ARPA) || name.labels() != 7) return Optional.empty();
    String[] octets = new String[4];
    for (int i = 0; i < 4; i++) {
      String label = name.getLabelString(i);
      if (!label.matches("(0|[1-9][0-9]{0,2})") || Integer.parseInt(label) > 255) return Optional.empty();
      octets[3 - i] = label;
    }
    return Optional.of(String.join(".", octets));
  }

  private Name serviceName(ClusterView.Service service) {
    try {
      return Name.concatenate(Name.fromString(service.name() + "." + service.namespace() + ".svc"), zone);
    } catch (TextParseException | NameTooLongException e) {
      throw new IllegalStateException("a Service name that is no DNS name: " + service, e);
    }
  }

  /** The A or AAAA record of a literal address; empty for anything that is not one (never a lookup). */
  private Optional<Record> address(Name owner, String ip) {
    try {
      if (ip == null || ip.isEmpty()) return Optional.empty();
      if (Address.isDottedQuad(ip)) {
        return Optional.of(new ARecord(owner, DClass.IN, ttl, Address.getByAddress(ip, Address.IPv4)));
      }
      if (ip.indexOf(':') >= 0) {
        InetAddress v6 = Address.getByAddress(ip, Address.IPv6);
        return Optional.of(new AAAARecord(owner, DClass.IN, ttl, v6));
      }
    } catch (UnknownHostException | IllegalArgumentException e) {
      // not an address literal: nothing to answer
    }
    return Optional.empty();
  }

  private static void addOnce(Message response, Record record, int section) {
    if (!response.findRecord(record, section)) response.addRecord(record, section);
  }

  /** NOERROR; with no answer (NODATA) the SOA goes with it, so that the absence may be cached. */
  private Resolution done(Message response, int type) {
    if (response.getSection(Section.ANSWER).isEmpty()) response.addRecord(soa, Section.AUTHORITY);
    return new Resolution.Answer(response);
  }

  private Resolution nxdomain(Message response) {
    response.getHeader().setRcode(Rcode.NXDOMAIN);
    response.removeAllRecords(Section.ANSWER);
    response.removeAllRecords(Section.ADDITIONAL);
    response.addRecord(soa, Section.AUTHORITY);
    return new Resolution.Answer(response);
  }

  /**
   * A response to {@code query}: its id, question, RD flag and (when it asked with EDNS) an OPT of
   * ours; RA, since names outside the cluster are resolved for the client.
   */
  static Message reply(Message query, int rcode, boolean authoritative) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.RA);
    if (query.getHeader().getFlag(Flags.RD)) response.getHeader().setFlag(Flags.RD);
    if (authoritative) response.getHeader().setFlag(Flags.AA);
    response.getHeader().setOpcode(query.getHeader().getOpcode());
    response.getHeader().setRcode(rcode);
    if (query.getHeader().getCount(Section.QUESTION) == 1 && query.getQuestion() != null) {
      response.addRecord(query.getQuestion(), Section.QUESTION);
    }
    if (query.getOPT() != null) response.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
    return response;
  }

  /** The labels of {@code name} below the zone, the zone's child first. */
  private String[] relativeLabels(Name name) {
    if (!name.subdomain(zone)) return new String[] {""}; // not below the zone: matches nothing
    int count = name.labels() - zone.labels();
    String[] labels = new String[count];
    for (int i = 0; i < count; i++) labels[i] = name.getLabelString(count - 1 - i).toLowerCase(Locale.ROOT);
    return labels;
  }

  private static Name absolute(String name) {
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + name, e);
    }
  }
}
