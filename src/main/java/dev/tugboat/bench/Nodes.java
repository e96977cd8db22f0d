package dev.tugboat.bench;

/** What the benchmarks ask about Node objects through the API. */
public final class Nodes {
  private Nodes() {}

  /** True when the node exists and its Ready condition is True. */
  public static boolean ready(HttpApi api, String node) {
    HttpApi.Reply reply = api.tryGet("/api/v1/nodes/" + node);
    if (reply == null || reply.code() != 200) return false;
    for (var c : reply.json().path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) return "True".equals(c.path("status").asText());
    }
    return false;
  }
}
