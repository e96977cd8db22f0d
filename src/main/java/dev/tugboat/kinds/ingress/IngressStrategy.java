package dev.tugboat.kinds.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kind.DefaultClass;
import dev.tugboat.kind.Printer;
import dev.tugboat.kind.ProtobufMessages;
import dev.tugboat.kind.TypedStrategy;
import dev.tugboat.kinds.ingressclass.IngressClass;
import dev.tugboat.model.FieldError;
import dev.tugboat.model.ResourceType;
import io.kubernetes.client.proto.V1Networking;
import java.util.List;
import java.util.Optional;

/**
 * Ingresses (networking.k8s.io/v1), with Kubernetes' DefaultIngressClass admission (a new Ingress
 * that names no class gets the default IngressClass) and the rules of {@link IngressValidation}.
 */
public final class IngressStrategy extends TypedStrategy<Ingress> {
  public static final ResourceType TYPE = new ResourceType("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress",
      List.of("ing"), true, List.of(), List.of("status"), Ingress.class);
  private static final Printer PRINTER = new IngressPrinter();

  public IngressStrategy() {
    super(TYPE, Ingress.class);
  }

  @Override
  public List<String> admissionReads() {
    return List.of("IngressClass");
  }

  @Override
  public Admission admit(ObjectNode current, ObjectNode candidate, ObjectNode reads) {
    return super.admit(current, current == null ? withDefaultClass(candidate, reads) : candidate);
  }

  /**
   * The default class for a new Ingress that names none, neither in {@code spec.ingressClassName}
   * nor by the older annotation (Kubernetes' DefaultIngressClass admission plugin). Null reads (a
   * write sent past the registry) leave it as it is: an Ingress without a class, which Tugboat's
   * controller serves as well.
   */
  static ObjectNode withDefaultClass(ObjectNode candidate, ObjectNode reads) {
    if (reads == null || IngressClassOf.name(candidate) != null) return candidate;
    if (!(candidate.get("spec") instanceof ObjectNode)) return candidate;
    String def = defaultClass(reads.path("IngressClass"));
    if (def == null) return candidate;
    ObjectNode ingress = candidate.deepCopy();
    ((ObjectNode) ingress.get("spec")).put("ingressClassName", def);
    return ingress;
  }

  /** The default IngressClass among {@code classes}: the newest one marked default; null for none. */
  public static String defaultClass(JsonNode classes) {
    return DefaultClass.among(classes, IngressClass::isDefault);
  }

  @Override
  protected void validate(Ingress ingress, List<FieldError> errors) {
    IngressValidation.spec(errors, ingress.spec());
  }

  @Override
  public Optional<ProtobufMessages> protobuf() {
    return Optional.of(new ProtobufMessages(V1Networking.Ingress.class, V1Networking.IngressList.class));
  }

  @Override
  public Printer printer() {
    return PRINTER;
  }
}
