package dev.tugboat.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.validatingadmissionpolicy.ValidatingAdmissionPolicy;
import dev.tugboat.kinds.validatingadmissionpolicybinding.PolicyAdmission;
import dev.tugboat.kinds.validatingadmissionpolicybinding.ValidatingAdmissionPolicyBinding;
import dev.tugboat.model.Codec;
import dev.tugboat.model.LabelSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ValidatingAdmissionPolicy as a {@link DynamicAdmission} step ({@link DynamicAdmission.Phase#VALIDATING},
 * beside validating webhooks): two informers keep the policies and bindings in memory, so
 * {@link #concerns} answers at once; a review reads the namespace and the parameter objects from the
 * index and leaves the decision to {@link PolicyAdmission}. Audit actions are log lines.
 */
public final class ValidatingPolicies implements DynamicAdmission {
  private static final Logger log = LoggerFactory.getLogger(ValidatingPolicies.class);
  static final String POLICY = "ValidatingAdmissionPolicy";
  static final String BINDING = "ValidatingAdmissionPolicyBinding";

  /** What the informers have told: decoded once per change, read by every write. */
  private record Known(Map<String, ValidatingAdmissionPolicy> policies, Map<String, ValidatingAdmissionPolicyBinding> bindings,
      int synced) {}

  private final Registry registry;
  private final AtomicReference<Known> known = new AtomicReference<>(new Known(Map.of(), Map.of(), 0));

  private ValidatingPolicies(Registry registry) {
    this.registry = registry;
  }

  /** Follows the policies and bindings and adds the step to {@code registry}'s writes. */
  public static ValidatingPolicies start(ActorSystem<?> system, Registry registry) {
    ValidatingPolicies step = new ValidatingPolicies(registry);
    system.systemActorOf(step.follower(), "validating-admission-policies", Props.empty());
    registry.addDynamicAdmission(step);
    return step;
  }

  private Behavior<Informer.Event> follower() {
    return Behaviors.setup(context -> {
      context.spawn(Informer.create(registry, Informer.Selection.of(POLICY), context.getSelf()), "policies");
      context.spawn(Informer.create(registry, Informer.Selection.of(BINDING), context.getSelf()), "bindings");
      return Behaviors.receiveMessage(event -> {
        known.updateAndGet(k -> told(k, event));
        return Behaviors.same();
      });
    });
  }

  private static Known told(Known k, Informer.Event event) {
    if (event instanceof Informer.Synced) return new Known(k.policies(), k.bindings(), k.synced() + 1);
    if (!(event instanceof Informer.ObjectEvent change)) return k;
    String name = change.object().path("metadata").path("name").asText();
    boolean gone = event instanceof Informer.Deleted;
    if (event.kind().equals(POLICY)) {
      Map<String, ValidatingAdmissionPolicy> policies = new HashMap<>(k.policies());
      if (gone) policies.remove(name);
      else policies.put(name, Codec.convert(change.object(), ValidatingAdmissionPolicy.class));
      return new Known(Map.copyOf(policies), k.bindings(), k.synced());
    }
    Map<String, ValidatingAdmissionPolicyBinding> bindings = new HashMap<>(k.bindings());
    if (gone) bindings.remove(name);
    else bindings.put(name, Codec.convert(change.object(), ValidatingAdmissionPolicyBinding.class));
    return new Known(k.policies(), Map.copyOf(bindings), k.synced());
  }

  @Override
  public Phase phase() {
    return Phase.VALIDATING;
  }

  @Override
  public boolean concerns(Attributes attributes) {
    Known k = known.get();
    if (k.synced() < 2) return true; // not yet sure what exists: the review decides, at a dry run's cost
    PolicyAdmission.Request request = request(attributes, null, null);
    for (ValidatingAdmissionPolicyBinding b : k.bindings().values()) {
      ValidatingAdmissionPolicy p = b.spec() == null ? null : k.policies().get(b.spec().policyName());
      if (p != null && p.spec() != null && PolicyAdmission.mayMatch(p.spec().matchConstraints(), request)) return true;
    }
    return false;
  }

  @Override
  public CompletionStage<Outcome> admit(Review review) {
    Known k = known.get();
    PolicyAdmission.Request request = request(review.attributes(), review.object(), review.oldObject());
    CompletableFuture<JsonNode> namespace = request.namespaced() && request.namespace() != null
        ? registry.get("Namespace", null, request.namespace()).toCompletableFuture()
            .thenApply(r -> r instanceof Result.Ok ok ? (JsonNode) ok.object() : null)
        : CompletableFuture.completedFuture(null);
    // the parameter objects each binding may name: their kind, in their namespace, read from the index
    Map<String, CompletableFuture<List<ObjectNode>>> params = new HashMap<>();
    for (ValidatingAdmissionPolicyBinding b : k.bindings().values()) {
      ValidatingAdmissionPolicy p = b.spec() == null ? null : k.policies().get(b.spec().policyName());
      if (p == null || p.spec() == null || p.spec().paramKind() == null || b.spec().paramRef() == null) continue;
      String kind = p.spec().paramKind().kind();
      String ns = PolicyAdmission.paramNamespace(b.spec().paramRef(), request);
      params.computeIfAbsent(kind + "/" + ns, key -> !registry.serves(kind) ? CompletableFuture.completedFuture(List.of())
          : registry.list(kind, ns, o -> true, 0, null).toCompletableFuture()
              .thenApply(l -> l.failure() == null ? l.items() : List.of()));
    }
    return CompletableFuture.allOf(params.values().toArray(CompletableFuture[]::new)).thenCombine(namespace, (v, ns) -> {
      PolicyAdmission.Lookup lookup = new PolicyAdmission.Lookup() {
        @Override
        public JsonNode namespace(String name) {
          return ns;
        }

        @Override
        public List<JsonNode> params(String apiVersion, String kind, String namespace, String name, LabelSelector selector) {
          List<JsonNode> found = new ArrayList<>();
          CompletableFuture<List<ObjectNode>> listed = params.get(kind + "/" + namespace);
          if (listed == null) return found;
          for (ObjectNode o : listed.join()) {
            if (!o.path("apiVersion").asText().equals(apiVersion)) continue;
            if (name != null ? o.path("metadata").path("name").asText().equals(name)
                : selector.toSelector().matches(labels(o))) {
              found.add(o);
            }
          }
          return found;
        }
      };
      PolicyAdmission.Decision d = PolicyAdmission.admit(List.copyOf(k.policies().values()),
          List.copyOf(k.bindings().values()), lookup, request);
      d.audit().forEach(line -> log.info("audit {} {} {}/{}: {}", request.operation(), request.resource(),
          request.namespace(), request.name(), line));
      return d.allowed() ? (Outcome) new Outcome.Admitted(review.object(), d.warnings()) : new Outcome.Refused(d.denial());
    }).exceptionally(e -> new Outcome.Refused(dev.tugboat.model.Status.serviceUnavailable(
        "ValidatingAdmissionPolicy: cannot read what the policies need: " + e.getMessage())));
  }

  private static Map<String, String> labels(JsonNode o) {
    Map<String, String> labels = new HashMap<>();
    o.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  private static PolicyAdmission.Request request(Attributes a, JsonNode object, JsonNode oldObject) {
    Requester who = a.requester() == null ? Requester.NONE : a.requester();
    return new PolicyAdmission.Request(a.operation().name(), a.type().group(), a.type().version(), a.type().kind(),
        a.type().plural(), a.subResource(), a.namespace(), a.name(), a.type().namespaced(), object, oldObject,
        who.username(), who.groups(), a.dryRun());
  }
}
