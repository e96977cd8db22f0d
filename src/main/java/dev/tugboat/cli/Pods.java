package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The pod a command means: named ({@code NAME}, {@code pod/NAME}), or picked from a workload's ({@code deploy/web}), as kubectl picks. */
final class Pods {
  private Pods() {}

  /** The pod named, or the first of a workload's pods by name; {@code err} hears which when there were several. */
  static String resolve(ApiClient api, String namespace, String ref, PrintWriter err) {
    int slash = ref.indexOf('/');
    if (slash < 0) return ref;
    String type = ref.substring(0, slash);
    String name = ref.substring(slash + 1);
    if (type.equals("pod") || type.equals("pods") || type.equals("po")) return name;
    JsonNode labels = api.get(Resources.object(Resources.type(api, type), namespace, name))
        .path("spec").path("selector").path("matchLabels");
    StringBuilder selector = new StringBuilder();
    labels.fields().forEachRemaining(e -> selector.append(selector.length() == 0 ? "" : ",").append(e.getKey()).append('=')
        .append(e.getValue().asText()));
    List<String> pods = new ArrayList<>();
    api.get(Resources.collection(Resources.type("pods"), namespace) + "?labelSelector="
        + Resources.encode(selector.toString())).path("items").forEach(p -> pods.add(p.path("metadata").path("name").asText()));
    if (labels.isEmpty() || pods.isEmpty()) throw new CliException("no pods found for " + ref);
    Collections.sort(pods);
    if (pods.size() > 1) err.println("Found " + pods.size() + " pods, using pod/" + pods.get(0));
    return pods.get(0);
  }
}
