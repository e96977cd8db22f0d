/**
 * The cluster DNS (Tugboat's CoreDNS with its kubernetes plugin): a DNS server on every worker
 * member that answers names of the cluster domain ({@code web.default.svc.cluster.local}) from the
 * member's own index and forwards every other name to the host's resolvers. {@link
 * dev.tugboat.dns.ClusterResolver} decides answers without I/O; {@link
 * dev.tugboat.dns.ServiceDirectory} holds what it reads; {@link dev.tugboat.dns.DnsServer} carries
 * messages over UDP and TCP; {@link dev.tugboat.dns.ClusterDns} is the actor that ties them to the
 * index. See docs/services.md, "DNS".
 */
package dev.tugboat.dns;
