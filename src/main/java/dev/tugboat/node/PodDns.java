package dev.tugboat.node;

import dev.tugboat.model.Pod;
import dev.tugboat.model.Validation;
import dev.tugboat.runtime.DnsConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A pod's resolv.conf and host name, as the kubelet's DNS configurer decides them (Kubernetes'
 * {@code pkg/kubelet/network/dns}). Pure.
 *
 * <ul>
 *   <li>{@code ClusterFirst} (the default) and {@code ClusterFirstWithHostNet} (the same here: pods
 *       have no host network): the cluster DNS, searches {@code <ns>.svc.<domain> svc.<domain>
 *       <domain>} then the host's, {@code options ndots:5};
 *   <li>{@code Default}: the host's resolv.conf (its loopback nameservers left out: in the pod's
 *       own network namespace they would be the pod's loopback, where nothing answers);
 *   <li>{@code None}: nothing but {@code dnsConfig}.
 * </ul>
 *
 * Then {@code dnsConfig} is merged in: its nameservers and searches appended (duplicates dropped),
 * its options replacing those of the same name. The result is cut to what resolvers read: 3
 * nameservers, 32 search domains. Without a cluster DNS (disabled), ClusterFirst falls back to
 * Default, as the kubelet does without {@code --cluster-dns}.
 */
public final class PodDns {
  /** Kubernetes' default: a name with fewer than five dots is tried with the search domains first. */
  static final String NDOTS = "ndots:5";

  private PodDns() {}

  /**
   * @param clusterDns the cluster DNS server's address pods use; null when there is none
   * @param clusterDomain {@code cluster.local}
   * @param host the host's resolv.conf
   */
  public static DnsConfig resolvConf(Pod pod, String clusterDns, String clusterDomain, DnsConfig host) {
    Pod.Spec spec = pod.spec();
    String policy = spec == null || spec.dnsPolicy() == null ? "ClusterFirst" : spec.dnsPolicy();
    List<String> servers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    List<String> options = new ArrayList<>();
    boolean cluster = policy.equals("ClusterFirst") || policy.equals("ClusterFirstWithHostNet");
    if (cluster && clusterDns != null && !clusterDns.isEmpty()) {
      servers.add(clusterDns);
      String namespace = pod.metadata() == null || pod.metadata().namespace() == null ? "default" : pod.metadata().namespace();
      searches.add(namespace + ".svc." + clusterDomain);
      searches.add("svc." + clusterDomain);
      searches.add(clusterDomain);
      searches.addAll(host.searches());
      options.add(NDOTS);
    } else if (!policy.equals("None")) {
      host.servers().stream().filter(s -> !loopback(s)).forEach(servers::add);
      searches.addAll(host.searches());
      options.addAll(host.options());
    }
    Pod.DnsConfig extra = spec == null ? null : spec.dnsConfig();
    if (extra != null) {
      if (extra.nameservers() != null) servers.addAll(extra.nameservers());
      if (extra.searches() != null) searches.addAll(extra.searches());
      if (extra.options() != null) options = mergeOptions(options, extra.options());
    }
    List<String> s = List.copyOf(new LinkedHashSet<>(servers));
    List<String> d = List.copyOf(new LinkedHashSet<>(searches));
    return new DnsConfig(s.subList(0, Math.min(s.size(), Validation.MAX_DNS_NAMESERVERS)),
        d.subList(0, Math.min(d.size(), Validation.MAX_DNS_SEARCH_PATHS)), options);
  }

  /** The pod's host name: {@code spec.hostname}, else its name, at most 63 characters. */
  public static String hostname(Pod pod) {
    String name = pod.spec() != null && pod.spec().hostname() != null && !pod.spec().hostname().isEmpty()
        ? pod.spec().hostname() : pod.metadata().name();
    if (name.length() > 63) name = name.substring(0, 63);
    // a cut name may end in a separator, which no host name may
    while (name.endsWith("-") || name.endsWith(".")) name = name.substring(0, name.length() - 1);
    return name;
  }

  /** {@code <subdomain>.<ns>.svc.<domain>} for a pod with a subdomain; null without one. */
  public static String domain(Pod pod, String clusterDomain) {
    String subdomain = pod.spec() == null ? null : pod.spec().subdomain();
    if (subdomain == null || subdomain.isEmpty()) return null;
    return subdomain + "." + pod.metadata().namespace() + ".svc." + clusterDomain;
  }

  /** Options by name, in order; a later one of the same name replaces the earlier. */
  private static List<String> mergeOptions(List<String> base, List<Pod.DnsOption> extra) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (String option : base) {
      int colon = option.indexOf(':');
      byName.put(colon < 0 ? option : option.substring(0, colon), option);
    }
    for (Pod.DnsOption option : extra) {
      if (option == null || option.name() == null) continue;
      byName.put(option.name(), option.value() == null || option.value().isEmpty()
          ? option.name() : option.name() + ":" + option.value());
    }
    return List.copyOf(byName.values());
  }

  private static boolean loopback(String address) {
    return address.startsWith("127.") || address.equals("::1");
  }
}
