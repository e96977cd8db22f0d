package dev.tugboat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The ready (and not ready) addresses and ports behind a Service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Endpoints(String apiVersion, String kind, ObjectMeta metadata, List<Subset> subsets) implements ApiObject {

  @Override
  public Endpoints withMetadata(ObjectMeta metadata) {
    return new Endpoints(apiVersion, kind, metadata, subsets);
  }

  public Endpoints withSubsets(List<Subset> subsets) {
    return new Endpoints(apiVersion, kind, metadata, subsets);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Subset(List<Address> addresses, List<Address> notReadyAddresses, List<Port> ports) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Address(String ip, String hostname, String nodeName, ObjectReference targetRef) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Port(String name, Integer port, String protocol) {}
}
