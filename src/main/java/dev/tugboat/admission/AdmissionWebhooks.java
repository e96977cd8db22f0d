package dev.tugboat.admission;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tugboat.kinds.mutatingwebhookconfiguration.MutatingWebhookConfigurationStrategy;
import dev.tugboat.kinds.validatingwebhookconfiguration.ValidatingWebhookConfigurationStrategy;
import dev.tugboat.kinds.validatingwebhookconfiguration.Webhook;
import dev.tugboat.model.Status;
import dev.tugboat.registry.DynamicAdmission;
import dev.tugboat.registry.Informer;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.Result;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' MutatingAdmissionWebhook and ValidatingAdmissionWebhook plugins: two
 * {@link DynamicAdmission} steps over the webhook configurations this member's informers follow (so
 * a write no webhook matches costs a pass over a list in memory, no read of the store).
 *
 * <p>A matched webhook is sent an AdmissionReview v1 ({@link AdmissionReviews}) over HTTPS
 * ({@link WebhookClient}) to its URL or Service. Mutating webhooks run in order of configuration
 * name, then of webhook, each on the object the previous one patched; those with
 * {@code reinvocationPolicy: IfNeeded} run once more when a later one changed the object.
 * Validating webhooks run in parallel. A webhook that cannot be reached, times out or answers
 * nonsense follows its {@code failurePolicy}: Fail refuses the write with a Status naming it,
 * Ignore lets it through. A webhook is called only when its {@code matchConditions} (CEL) all hold
 * ({@link MatchConditions}).
 */
public final class AdmissionWebhooks {
  private static final Logger log = LoggerFactory.getLogger(AdmissionWebhooks.class);
  private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final String MUTATING = MutatingWebhookConfigurationStrategy.TYPE.kind();
  private static final String VALIDATING = ValidatingWebhookConfigurationStrategy.TYPE.kind();

  /** A webhook and the configuration it is in. */
  record Registered(String configuration, Webhook webhook) {}

  private final Registry registry;
  private final WebhookClient client;
  // Written by the follower actor only, read by every request: whole lists replaced, never changed.
  private final Map<String, List<Webhook>> mutatingConfigs = new TreeMap<>();
  private final Map<String, List<Webhook>> validatingConfigs = new TreeMap<>();
  private volatile List<Registered> mutating = List.of();
  private volatile List<Registered> validating = List.of();

  AdmissionWebhooks(Registry registry, String clusterCaPem) {
    this.registry = registry;
    this.client = new WebhookClient(clusterCaPem);
  }

  /**
   * Follows the webhook configurations on this member and adds the two steps to {@code registry}.
   *
   * @param clusterCaPem the cluster CA, trusted for a webhook without a caBundle (null: TLS is off)
   */
  public static AdmissionWebhooks install(ActorSystem<?> system, Registry registry, String clusterCaPem) {
    AdmissionWebhooks webhooks = new AdmissionWebhooks(registry, clusterCaPem);
    system.systemActorOf(webhooks.follower(), "admission-webhooks", Props.empty());
    registry.addDynamicAdmission(webhooks.step(true));
    registry.addDynamicAdmission(webhooks.step(false));
    return webhooks;
  }

  private Behavior<Informer.Event> follower() {
    return Behaviors.setup(context -> {
      ActorRef<Informer.Event> self = context.getSelf();
      context.spawn(Informer.create(registry, Informer.Selection.of(MUTATING), self), "mutating-informer");
      context.spawn(Informer.create(registry, Informer.Selection.of(VALIDATING), self), "validating-informer");
      return Behaviors.receiveMessage(event -> {
        if (event instanceof Informer.ObjectEvent changed) {
          configured(event.kind(), changed.object().path("metadata").path("name").asText(),
              event instanceof Informer.Deleted ? null : changed.object());
        }
        return Behaviors.same();
      });
    });
  }

  /** A configuration added, changed ({@code object}) or deleted (null). */
  synchronized void configured(String kind, String name, JsonNode object) {
    boolean isMutating = MUTATING.equals(kind);
    Map<String, List<Webhook>> configs = isMutating ? mutatingConfigs : validatingConfigs;
    if (object == null) {
      configs.remove(name);
    } else {
      List<Webhook> hooks = new ArrayList<>();
      for (JsonNode w : object.path("webhooks")) {
        try {
          hooks.add(JSON.treeToValue(w, Webhook.class));
        } catch (Exception e) {
          log.warn("Webhook {} of {} {} cannot be read, and is not called: {}", w.path("name").asText(), kind, name,
              e.getMessage());
        }
      }
      configs.put(name, List.copyOf(hooks));
    }
    List<Registered> all = new ArrayList<>();
    configs.forEach((config, hooks) -> hooks.forEach(h -> all.add(new Registered(config, h))));
    if (isMutating) {
      mutating = List.copyOf(all);
    } else {
      validating = List.copyOf(all);
    }
  }

  DynamicAdmission step(boolean isMutating) {
    return new Step(isMutating);
  }

  /** One of the two plugins. */
  private final class Step implements DynamicAdmission {
    private final boolean isMutating;

    Step(boolean isMutating) {
      this.isMutating = isMutating;
    }

    @Override
    public Phase phase() {
      return isMutating ? Phase.MUTATING : Phase.VALIDATING;
    }

    @Override
    public boolean concerns(Attributes attributes) {
      for (Registered r : registered()) {
        if (WebhookMatching.rulesMatch(r.webhook(), attributes)) return true;
      }
      return false;
    }

    private List<Registered> registered() {
      return isMutating ? mutating : validating;
    }

    @Override
    public CompletionStage<Outcome> admit(Review review) {
      List<Registered> byRules = registered().stream()
          .filter(r -> WebhookMatching.rulesMatch(r.webhook(), review.attributes())).toList();
      if (byRules.isEmpty()) return CompletableFuture.completedFuture(new Outcome.Admitted(review.object(), List.of()));
      return namespaceLabels(review, byRules).thenCompose(labels -> {
        List<Registered> matched = byRules.stream()
            .filter(r -> WebhookMatching.namespaceMatches(r.webhook(), review, labels)
                && WebhookMatching.objectMatches(r.webhook(), review))
            .toList();
        return isMutating ? mutate(review, matched) : validate(review, matched);
      });
    }
  }

  /** The labels of the request's namespace, read only when a matched webhook selects namespaces. */
  private CompletionStage<Map<String, String>> namespaceLabels(DynamicAdmission.Review review, List<Registered> matched) {
    DynamicAdmission.Attributes a = review.attributes();
    boolean needed = a.namespace() != null && a.type().namespaced()
        && matched.stream().anyMatch(r -> r.webhook().namespaceSelector() != null && !r.webhook().namespaceSelector().isEmpty());
    if (!needed) return CompletableFuture.completedFuture(null);
    return registry.get("Namespace", null, a.namespace())
        .thenApply(r -> r instanceof Result.Ok ok ? WebhookMatching.labels(ok.object()) : Map.<String, String>of());
  }

  private CompletionStage<DynamicAdmission.Outcome> validate(DynamicAdmission.Review review, List<Registered> matched) {
    List<CompletableFuture<DynamicAdmission.Outcome>> calls = matched.stream()
        .map(r -> call(r.webhook(), review, false).toCompletableFuture()).toList();
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<String> warnings = new ArrayList<>();
      for (CompletableFuture<DynamicAdmission.Outcome> call : calls) {
        DynamicAdmission.Outcome o = call.join();
        if (o instanceof DynamicAdmission.Outcome.Refused) return o;
        warnings.addAll(((DynamicAdmission.Outcome.Admitted) o).warnings());
      }
      return new DynamicAdmission.Outcome.Admitted(review.object(), warnings);
    });
  }

  /** The mutating webhooks in order, then the IfNeeded ones a later webhook's change concerns, once more. */
  private CompletionStage<DynamicAdmission.Outcome> mutate(DynamicAdmission.Review review, List<Registered> matched) {
    return mutateFrom(review, matched, 0, new Mutation(review.object(), List.of(), -1)).thenCompose(first -> {
      if (first instanceof DynamicAdmission.Outcome.Refused || !(first instanceof Mutated m)) {
        return CompletableFuture.completedFuture(outcomeOf(first));
      }
      List<Registered> again = new ArrayList<>();
      for (int i = 0; i < m.mutation().lastChange(); i++) {
        if (Webhook.IF_NEEDED.equals(matched.get(i).webhook().reinvocationPolicy())) again.add(matched.get(i));
      }
      if (again.isEmpty()) return CompletableFuture.completedFuture(outcomeOf(first));
      return mutateFrom(review, again, 0, new Mutation(m.mutation().object(), m.mutation().warnings(), -1))
          .thenApply(AdmissionWebhooks::outcomeOf);
    });
  }

  /** The object so far, the warnings so far, and the index of the last webhook that changed it. */
  private record Mutation(com.fasterxml.jackson.databind.node.ObjectNode object, List<String> warnings, int lastChange) {}

  /** An intermediate result: a refusal, or a mutation so far. */
  private record Mutated(Mutation mutation) implements Partial {}

  private record Stopped(DynamicAdmission.Outcome.Refused refused) implements Partial {}

  private sealed interface Partial permits Mutated, Stopped {}

  private static DynamicAdmission.Outcome outcomeOf(Object partial) {
    if (partial instanceof Stopped s) return s.refused();
    Mutation m = ((Mutated) partial).mutation();
    return new DynamicAdmission.Outcome.Admitted(m.object(), m.warnings());
  }

  private CompletionStage<Object> mutateFrom(DynamicAdmission.Review review, List<Registered> hooks, int i, Mutation so) {
    if (i >= hooks.size()) return CompletableFuture.completedFuture(new Mutated(so));
    return call(hooks.get(i).webhook(), review.withObject(so.object()), true).thenCompose(outcome -> {
      if (outcome instanceof DynamicAdmission.Outcome.Refused refused) {
        return CompletableFuture.completedFuture(new Stopped(refused));
      }
      DynamicAdmission.Outcome.Admitted admitted = (DynamicAdmission.Outcome.Admitted) outcome;
      List<String> warnings = new ArrayList<>(so.warnings());
      warnings.addAll(admitted.warnings());
      boolean changed = !Objects.equals(admitted.object(), so.object());
      return mutateFrom(review, hooks, i + 1, new Mutation(admitted.object(), warnings, changed ? i : so.lastChange()));
    });
  }

  /** One webhook called on one review, its answer (or failure, by failurePolicy) as an outcome. */
  CompletionStage<DynamicAdmission.Outcome> call(Webhook webhook, DynamicAdmission.Review review, boolean isMutating) {
    DynamicAdmission.Attributes a = review.attributes();
    if (a.dryRun() && !Webhook.NONE.equals(webhook.sideEffects()) && !Webhook.NONE_ON_DRY_RUN.equals(webhook.sideEffects())) {
      return CompletableFuture.completedFuture(new DynamicAdmission.Outcome.Refused(Status.badRequest(
          "admission webhook \"" + webhook.name() + "\" does not support dry run")));
    }
    String uid = UUID.randomUUID().toString();
    ObjectNode reviewJson = AdmissionReviews.request(uid, review);
    String unmatched = MatchConditions.unmatched(webhook, review, reviewJson.path("request"));
    if (unmatched != null) {
      // a condition that does not hold skips the webhook; one that cannot be evaluated is a failure of it
      return CompletableFuture.completedFuture(unmatched.isEmpty()
          ? new DynamicAdmission.Outcome.Admitted(review.object(), List.of())
          : failed(webhook, review, unmatched));
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(reviewJson);
    } catch (Exception e) {
      return CompletableFuture.completedFuture(failed(webhook, review, "cannot encode the review: " + e.getMessage()));
    }
    int seconds = webhook.timeoutSeconds() == null ? Webhook.DEFAULT_TIMEOUT_SECONDS : webhook.timeoutSeconds();
    Duration timeout = Duration.ofSeconds(seconds);
    return target(webhook).thenCompose(target -> client.post(target.uri(), target.serverName(),
            webhook.clientConfig().caBundle(), body, timeout))
        .handle((response, error) -> {
          if (error != null) return failed(webhook, review, describe(error, seconds));
          AdmissionReviews.Answer answer = AdmissionReviews.answer(response, uid, webhook.name(), isMutating);
          if (answer instanceof AdmissionReviews.Answer.Invalid invalid) {
            return failed(webhook, review, "received invalid webhook response: " + invalid.why());
          }
          if (answer instanceof AdmissionReviews.Answer.Denied denied) {
            return new DynamicAdmission.Outcome.Refused(denied.status());
          }
          AdmissionReviews.Answer.Allowed allowed = (AdmissionReviews.Answer.Allowed) answer;
          if (allowed.patch() == null || review.object() == null) {
            return new DynamicAdmission.Outcome.Admitted(review.object(), allowed.warnings());
          }
          try {
            return new DynamicAdmission.Outcome.Admitted(AdmissionReviews.patched(review.object(), allowed.patch()),
                allowed.warnings());
          } catch (RuntimeException e) {
            return failed(webhook, review, "the webhook's patch does not apply: " + e.getMessage());
          }
        });
  }

  private static String describe(Throwable error, int seconds) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
      return "failed to call webhook: the webhook did not answer within its timeoutSeconds (" + seconds + "s)";
    }
    return "failed to call webhook: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
  }

  /**
   * A webhook that could not give an answer: under {@code Ignore} the request goes on without it;
   * under {@code Fail} (the default) it is refused, Kubernetes' InternalError naming the webhook.
   */
  private static DynamicAdmission.Outcome failed(Webhook webhook, DynamicAdmission.Review review, String why) {
    if (Webhook.IGNORE.equals(webhook.failurePolicy())) {
      log.info("Admission webhook {} failed and is ignored (failurePolicy Ignore): {}", webhook.name(), why);
      return new DynamicAdmission.Outcome.Admitted(review.object(), List.of());
    }
    return new DynamicAdmission.Outcome.Refused(Status.internal(
        "Internal error occurred: failed calling webhook \"" + webhook.name() + "\": " + why));
  }

  /** Where to post, and the name the server's certificate must have. */
  record Target(URI uri, String serverName) {}

  private CompletionStage<Target> target(Webhook webhook) {
    Webhook.ClientConfig c = webhook.clientConfig();
    if (c.url() != null) {
      URI uri = URI.create(c.url());
      return CompletableFuture.completedFuture(new Target(uri, uri.getHost()));
    }
    Webhook.ServiceReference s = c.service();
    String path = s.path() == null ? "/" : s.path();
    int port = s.port() == null ? 443 : s.port();
    String serverName = s.name() + "." + s.namespace() + ".svc";
    return registry.get("Service", s.namespace(), s.name()).thenCompose(service -> {
      if (!(service instanceof Result.Ok svc)) {
        return CompletableFuture.failedFuture(new IllegalStateException("service \"" + s.namespace() + "/" + s.name()
            + "\" not found"));
      }
      JsonNode servicePort = null;
      for (JsonNode p : svc.object().path("spec").path("ports")) {
        if (p.path("port").asInt() == port) servicePort = p;
      }
      if (servicePort == null) {
        return CompletableFuture.failedFuture(new IllegalStateException("service \"" + s.namespace() + "/" + s.name()
            + "\" has no port " + port));
      }
      JsonNode chosen = servicePort;
      return registry.get("Endpoints", s.namespace(), s.name()).thenApply(endpoints -> {
        if (endpoints instanceof Result.Ok ep) {
          for (JsonNode subset : ep.object().path("subsets")) {
            JsonNode address = subset.path("addresses").path(0);
            if (address.isMissingNode()) continue;
            int targetPort = endpointPort(subset, chosen);
            if (targetPort > 0) {
              return new Target(URI.create("https://" + hostOf(address.path("ip").asText()) + ":" + targetPort + path),
                  serverName);
            }
          }
        }
        throw new IllegalStateException("service \"" + s.namespace() + "/" + s.name() + "\" has no ready endpoints");
      });
    });
  }

  private static int endpointPort(JsonNode subset, JsonNode servicePort) {
    String name = servicePort.path("name").asText("");
    for (JsonNode p : subset.path("ports")) {
      if (p.path("name").asText("").equals(name)) return p.path("port").asInt();
    }
    JsonNode target = servicePort.path("targetPort");
    return target.isInt() ? target.asInt() : servicePort.path("port").asInt();
  }

  private static String hostOf(String ip) {
    return ip.contains(":") ? "[" + ip + "]" : ip;
  }

  /** For tests: the configurations of one kind as this member knows them now. */
  List<String> known(boolean isMutating) {
    return (isMutating ? mutating : validating).stream().map(r -> r.configuration() + "/" + r.webhook().name()).toList();
  }
}
