package dev.tugboat.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Installs {@link BenchAdmission}'s webhooks and policies through the API and waits until each is in
 * effect on the member the load goes to (admission reads them from its informers: a write made
 * before would miss them); removes them again after the run.
 */
final class AdmissionInstaller {
  private static final String GROUP = "/apis/admissionregistration.k8s.io/v1/";
  private static final Duration IN_EFFECT = Duration.ofSeconds(60);

  private AdmissionInstaller() {}

  /** Every object installed, as its API path and its manifest (webhooks first, bindings after their policies). */
  private static List<String[]> objects(WebhookServer webhooks) {
    List<String[]> objects = new ArrayList<>();
    objects.add(new String[] {"mutatingwebhookconfigurations",
        BenchAdmission.mutatingConfiguration(webhooks.baseUrl(), webhooks.caPem())});
    objects.add(new String[] {"validatingwebhookconfigurations",
        BenchAdmission.validatingConfiguration(webhooks.baseUrl(), webhooks.caPem())});
    for (BenchAdmission.Policy p : BenchAdmission.POLICIES) {
      objects.add(new String[] {"validatingadmissionpolicies", BenchAdmission.policy(p)});
      objects.add(new String[] {"validatingadmissionpolicybindings", BenchAdmission.binding(p)});
    }
    return objects;
  }

  /** Installs everything and returns once writes into {@code namespace} go through all of it. */
  static void install(HttpApi api, WebhookServer webhooks, String namespace) {
    uninstall(api); // a crashed run's leftovers
    for (String[] o : objects(webhooks)) {
      HttpApi.Reply r = api.post(GROUP + o[0], o[1]);
      if (r.code() != 201) throw new IllegalStateException("installing " + o[0] + ": " + r.code() + " " + r.body());
    }
    String deployments = "/apis/apps/v1/namespaces/" + namespace + "/deployments?dryRun=All";
    // Dry runs: admitted or refused as a write would be, nothing stored.
    AtomicInteger probe = new AtomicInteger();
    Wait.until("the three webhooks in effect", IN_EFFECT, Duration.ofMillis(200), () -> {
      String name = "probe-" + probe.incrementAndGet();
      HttpApi.Reply r = api.post(deployments, ApiBench.deployment(name));
      return r.code() == 201 && "yes".equals(r.json().path("metadata").path("labels").path(BenchAdmission.MUTATED).asText())
          && BenchAdmission.HOOKS.stream().allMatch(h -> webhooks.reviewed(h, name));
    });
    for (BenchAdmission.Policy p : BenchAdmission.POLICIES) {
      Wait.until("the policy " + p.fullName() + " in effect", IN_EFFECT, Duration.ofMillis(200), () -> {
        HttpApi.Reply r = api.post(deployments, BenchAdmission.violating(p, ApiBench.deployment("probe-" + p.name())));
        return r.code() / 100 == 4 && r.body().contains("'" + p.fullName() + "'");
      });
    }
    System.out.println("api: 3 webhooks and " + BenchAdmission.POLICIES.size() + " policies in effect in " + namespace);
  }

  /** Deletes whatever of it exists. */
  static void uninstall(HttpApi api) {
    api.delete(GROUP + "mutatingwebhookconfigurations/" + BenchAdmission.MUTATING);
    api.delete(GROUP + "validatingwebhookconfigurations/" + BenchAdmission.VALIDATING);
    for (BenchAdmission.Policy p : BenchAdmission.POLICIES) {
      api.delete(GROUP + "validatingadmissionpolicybindings/" + p.fullName());
      api.delete(GROUP + "validatingadmissionpolicies/" + p.fullName());
    }
  }
}
