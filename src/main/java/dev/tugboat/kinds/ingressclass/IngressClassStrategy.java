package dev.tugboat.kinds.ingressclass;

import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import dev.tugboat.model.Validation;
import io.kubernetes.client.proto.V1Networking;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IngressClasses (networking.k8s.io/v1), with Kubernetes' rules: a controller that is a
 * domain-prefixed path of at most 250 characters and never changes, and parameters that name a
 * kind and an object, with a namespace exactly when their scope is Namespace.
 */
public final class IngressClassStrategy extends TypedStrategy<IngressClass> {
  public static final ResourceType TYPE = new ResourceType("networking.k8s.io", "v1", "IngressClass", "ingressclasses",
      "ingressclass", List.of(), false, List.of(), List.of(), IngressClass.class);
  private static final Printer PRINTER = new IngressClassPrinter();
  private static final int MAX_CONTROLLER = 250;
  private static final Pattern PATH = Pattern.compile("[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+");
  private static final List<String> SCOPES = List.of("Cluster", "Namespace");

  public IngressClassStrategy() {
    super(TYPE, IngressClass.class);
  }

  @Override
  protected void validate(IngressClass ic, List<FieldError> e) {
    IngressClass.Spec spec = ic.spec();
    String controller = spec == null ? null : spec.controller();
    if (controller == null || controller.isEmpty()) {
      e.add(FieldError.required("spec.controller", null));
    } else {
      if (controller.length() > MAX_CONTROLLER) e.add(FieldError.tooLong("spec.controller", controller, MAX_CONTROLLER));
      domainPrefixedPath(e, "spec.controller", controller);
    }
    if (spec != null && spec.parameters() != null) parameters(e, spec.parameters());
  }

  /** Kubernetes' IsDomainPrefixedPath: {@code example.com/path}. */
  private static void domainPrefixedPath(List<FieldError> e, String path, String value) {
    int slash = value.indexOf('/');
    if (slash <= 0 || slash == value.length() - 1) {
      e.add(FieldError.invalid(path, value, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
      return;
    }
    Validation.dnsSubdomain(e, path, value.substring(0, slash));
    if (!PATH.matcher(value.substring(slash + 1)).matches()) {
      e.add(FieldError.invalid(path, value, "path must consist of valid URL path characters"));
    }
  }

  private static void parameters(List<FieldError> e, IngressClass.Parameters p) {
    String path = "spec.parameters";
    if (p.kind() == null || p.kind().isEmpty()) e.add(FieldError.required(path + ".kind", null));
    if (p.name() == null || p.name().isEmpty()) e.add(FieldError.required(path + ".name", null));
    if (p.apiGroup() != null && !p.apiGroup().isEmpty()) Validation.dnsSubdomain(e, path + ".apiGroup", p.apiGroup());
    String scope = p.scope() == null ? "Cluster" : p.scope();
    if (!SCOPES.contains(scope)) {
      e.add(FieldError.notSupported(path + ".scope", scope, SCOPES));
    } else if (scope.equals("Namespace") && (p.namespace() == null || p.namespace().isEmpty())) {
      e.add(FieldError.required(path + ".namespace", "`parameters.scope` is set to 'Namespace'"));
    } else if (scope.equals("Cluster") && p.namespace() != null && !p.namespace().isEmpty()) {
      e.add(FieldError.forbidden(path + ".namespace", "`parameters.scope` is set to 'Cluster'"));
    }
    if (p.namespace() != null && !p.namespace().isEmpty()) Validation.dnsLabel(e, path + ".namespace", p.namespace());
  }

  @Override
  protected void validateUpdate(IngressClass current, IngressClass updated, List<FieldError> e) {
    String before = current.spec() == null ? null : current.spec().controller();
    String after = updated.spec() == null ? null : updated.spec().controller();
    if (!Objects.equals(before, after)) e.add(FieldError.invalid("spec.controller", after, "field is immutable"));
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Networking.IngressClass.class, V1Networking.IngressClassList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
