package dev.tugboat.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a resolv.conf says, as CRI's DNSConfig: nameservers, search domains and options
 * ({@code ndots:5}, {@code edns0}). The node agent gives one to each pod's sandbox; the host's own
 * (its /etc/resolv.conf) is where a pod of dnsPolicy Default, and the cluster DNS for names outside
 * the cluster, find their resolvers.
 */
public record DnsConfig(List<String> servers, List<String> searches, List<String> options) {
  public static final DnsConfig EMPTY = new DnsConfig(List.of(), List.of(), List.of());

  public DnsConfig {
    servers = List.copyOf(servers);
    searches = List.copyOf(searches);
    options = List.copyOf(options);
  }

  /**
   * The parts of a resolv.conf that resolvers read: {@code nameserver}, {@code search} (the last
   * one wins, as in glibc; {@code domain} counts as a one-entry search), {@code options}. Comments
   * ({@code #}, {@code ;}) and unknown lines are skipped: a malformed file yields what it has.
   */
  public static DnsConfig parse(String text) {
    List<String> servers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    List<String> options = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
      String[] words = line.split("\\s+");
      switch (words[0]) {
        case "nameserver" -> {
          if (words.length > 1) servers.add(words[1]);
        }
        case "search", "domain" -> {
          searches.clear();
          for (int i = 1; i < words.length; i++) searches.add(words[i]);
        }
        case "options" -> {
          for (int i = 1; i < words.length; i++) options.add(words[i]);
        }
        default -> {
          // sortlist and the like: nothing a pod or a forwarder uses
        }
      }
    }
    return new DnsConfig(servers, searches, options);
  }

  /** The file at {@code path}; {@link #EMPTY} when it cannot be read (a host without one). */
  public static DnsConfig read(Path path) {
    try {
      return parse(Files.readString(path, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return EMPTY;
    }
  }

  /** The file's text, as the runtime would write it. */
  public String render() {
    StringBuilder s = new StringBuilder();
    if (!searches.isEmpty()) s.append("search ").append(String.join(" ", searches)).append('\n');
    servers.forEach(n -> s.append("nameserver ").append(n).append('\n'));
    if (!options.isEmpty()) s.append("options ").append(String.join(" ", options)).append('\n');
    return s.toString();
  }
}
