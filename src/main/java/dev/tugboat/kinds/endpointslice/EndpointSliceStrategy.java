package dev.tugboat.kinds.endpointslice;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * EndpointSlices (discovery.k8s.io/v1), with Kubernetes' defaults (ports' protocol TCP) and rules:
 * an address type that never changes, at most 1,000 endpoints of 1 to 100 addresses of that type,
 * hostnames that are DNS labels, and ports with unique DNS-label names. JSON and YAML only:
 * client-java-proto 24 has no discovery/v1 messages, so a protobuf body gets a 415 and a
 * protobuf-only Accept a 406, as for custom kinds.
 */
public final class EndpointSliceStrategy extends TypedStrategy<EndpointSlice> {
  public static final ResourceType TYPE = new ResourceType("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices",
      "endpointslice", List.of(), true, List.of(), List.of(), EndpointSlice.class);
  private static final Printer PRINTER = new EndpointSlicePrinter();
  private static final int MAX_ENDPOINTS = 1000;
  private static final int MAX_ADDRESSES = 100;
  private static final int MAX_PORTS = 20000;

  public EndpointSliceStrategy() {
    super(TYPE, EndpointSlice.class);
  }

  @Override
  protected EndpointSlice defaults(EndpointSlice slice) {
    if (slice.ports() == null || slice.ports().stream().allMatch(p -> p == null || p.protocol() != null)) return slice;
    return slice.withPorts(slice.ports().stream()
        .map(p -> p == null || p.protocol() != null ? p : p.withProtocol("TCP")).toList());
  }

  @Override
  protected void validate(EndpointSlice slice, List<FieldError> e) {
    String type = slice.addressType();
    if (type == null || type.isEmpty()) e.add(FieldError.required("addressType", null));
    else if (!EndpointSlice.ADDRESS_TYPES.contains(type)) e.add(FieldError.notSupported("addressType", type, EndpointSlice.ADDRESS_TYPES));
    List<EndpointSlice.Endpoint> endpoints = slice.endpoints() == null ? List.of() : slice.endpoints();
    if (endpoints.size() > MAX_ENDPOINTS) {
      e.add(new FieldError("endpoints", "FieldValueTooMany", endpoints.size(), "must have at most " + MAX_ENDPOINTS + " items"));
    }
    for (int i = 0; i < endpoints.size(); i++) endpoint(e, "endpoints[" + i + "]", endpoints.get(i), type);
    List<EndpointSlice.Port> ports = slice.ports() == null ? List.of() : slice.ports();
    if (ports.size() > MAX_PORTS) {
      e.add(new FieldError("ports", "FieldValueTooMany", ports.size(), "must have at most " + MAX_PORTS + " items"));
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      EndpointSlice.Port p = ports.get(i);
      String path = "ports[" + i + "]";
      if (p == null) continue;
      String name = p.name() == null ? "" : p.name();
      if (!name.isEmpty()) Validation.dnsLabel(e, path + ".name", name);
      if (!names.add(name)) e.add(FieldError.duplicate(path + ".name", name));
      Validation.protocol(e, path + ".protocol", p.protocol());
      if (p.port() != null) Validation.port(e, path + ".port", p.port());
      if (p.appProtocol() != null) {
        for (String problem : Validation.labelKeyProblems(p.appProtocol())) e.add(FieldError.invalid(path + ".appProtocol", p.appProtocol(), problem));
      }
    }
  }

  private static void endpoint(List<FieldError> e, String path, EndpointSlice.Endpoint endpoint, String type) {
    if (endpoint == null) {
      e.add(FieldError.required(path, null));
      return;
    }
    List<String> addresses = endpoint.addresses() == null ? List.of() : endpoint.addresses();
    if (addresses.isEmpty()) {
      e.add(FieldError.required(path + ".addresses", "must contain at least 1 address"));
    } else if (addresses.size() > MAX_ADDRESSES) {
      e.add(new FieldError(path + ".addresses", "FieldValueTooMany", addresses.size(),
          "must have at most " + MAX_ADDRESSES + " items"));
    }
    for (int j = 0; j < addresses.size(); j++) {
      String address = addresses.get(j) == null ? "" : addresses.get(j);
      String addressPath = path + ".addresses[" + j + "]";
      if ("FQDN".equals(type)) Validation.dnsSubdomain(e, addressPath, address);
      else if ("IPv4".equals(type) || "IPv6".equals(type)) {
        Validation.ip(e, addressPath, address);
        boolean v6 = address.indexOf(':') >= 0;
        if (e.stream().noneMatch(f -> f.field().equals(addressPath)) && v6 != "IPv6".equals(type)) {
          e.add(FieldError.invalid(addressPath, address, "must be an " + type + " address"));
        }
      }
    }
    if (endpoint.hostname() != null) Validation.dnsLabel(e, path + ".hostname", endpoint.hostname());
    if (endpoint.nodeName() != null && !endpoint.nodeName().isEmpty()) {
      Validation.dnsSubdomain(e, path + ".nodeName", endpoint.nodeName());
    }
  }

  @Override
  protected void validateUpdate(EndpointSlice current, EndpointSlice updated, List<FieldError> e) {
    if (!Objects.equals(current.addressType(), updated.addressType())) {
      e.add(FieldError.invalid("addressType", updated.addressType(), "field is immutable"));
    }
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
