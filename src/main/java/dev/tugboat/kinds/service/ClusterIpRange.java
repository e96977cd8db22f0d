package dev.tugboat.kinds.service;

/**
 * The IPv4 block cluster IPs are allocated from ({@code tugboat.proxy.cluster-ip-range}, as
 * kube-apiserver's {@code --service-cluster-ip-range}). Parsed and used without I/O.
 *
 * @param base the block's first address, as an unsigned 32-bit number
 * @param prefix the block's prefix length
 */
public record ClusterIpRange(long base, int prefix) {
  /** Kubernetes' default block, and Tugboat's. */
  public static final ClusterIpRange DEFAULT = parse("10.96.0.0/12");

  public ClusterIpRange {
    if (prefix < 8 || prefix > 30) throw new IllegalArgumentException("a prefix of 8 to 30 bits, not /" + prefix);
    if ((base & ~mask(prefix)) != 0) throw new IllegalArgumentException("host bits set in " + text(base) + "/" + prefix);
  }

  /** {@code "10.96.0.0/12"}; refuses what is not an IPv4 CIDR block with its host bits clear. */
  public static ClusterIpRange parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) throw new IllegalArgumentException("not a CIDR block (a.b.c.d/n): \"" + cidr + "\"");
    Long base = address(cidr.substring(0, slash).trim());
    if (base == null) throw new IllegalArgumentException("not an IPv4 address: \"" + cidr.substring(0, slash) + "\"");
    try {
      return new ClusterIpRange(base, Integer.parseInt(cidr.substring(slash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a prefix length: \"" + cidr.substring(slash + 1) + "\"");
    }
  }

  /** How many addresses the block has, its network and broadcast addresses included. */
  public long size() {
    return 1L << (32 - prefix);
  }

  /** The address {@code offset} into the block. */
  public String address(long offset) {
    if (offset < 0 || offset >= size()) throw new IllegalArgumentException("offset " + offset + " outside " + this);
    return text(base + offset);
  }

  public boolean contains(String ip) {
    Long address = address(ip);
    return address != null && (address & mask(prefix)) == base;
  }

  /**
   * Whether the block lies in 127/8: addresses the host answers by itself, with no route to add, but
   * which pods cannot reach (in a pod's network namespace 127/8 is the pod's own).
   */
  public boolean isLoopback() {
    return (base >>> 24) == 127;
  }

  @Override
  public String toString() {
    return text(base) + "/" + prefix;
  }

  /** A dotted IPv4 address as a number; null for anything else. */
  static Long address(String ip) {
    String[] octets = ip.split("\\.", -1);
    if (octets.length != 4) return null;
    long value = 0;
    for (String octet : octets) {
      if (!octet.matches("0|[1-9][0-9]{0,2}")) return null;
      int n = Integer.parseInt(octet);
      if (n > 255) return null;
      value = (value << 8) | n;
    }
    return value;
  }

  private static String text(long address) {
    return ((address >> 24) & 255) + "." + ((address >> 16) & 255) + "." + ((address >> 8) & 255) + "." + (address & 255);
  }

  private static long mask(int prefix) {
    return (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
  }
}
