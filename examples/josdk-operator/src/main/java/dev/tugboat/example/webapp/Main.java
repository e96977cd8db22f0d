package dev.tugboat.example.webapp;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.util.Set;

/**
 * Runs the WebApp operator against the cluster of {@code $KUBECONFIG}, watching one namespace, with
 * leader election on the Lease {@code webapp-operator} in that namespace: start it twice and one
 * replica reconciles while the other waits to take over.
 *
 * <p>Arguments: {@code <namespace> <identity> [leaseSeconds renewSeconds retryMillis]}. The defaults
 * are client-go's (15 s, 10 s, 2 s); a test shortens them to see a takeover quickly.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    String namespace = args[0];
    String identity = args[1];
    Duration lease = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 15);
    Duration renew = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 10);
    Duration retry = Duration.ofMillis(args.length > 4 ? Long.parseLong(args[4]) : 2000);
    var client = new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
    Operator operator = new Operator(o -> o
        .withKubernetesClient(client)
        .withLeaderElectionConfiguration(new LeaderElectionConfiguration(
            WebAppReconciler.NAME, namespace, lease, renew, retry, identity, null, true))
        // JOSDK leaves ConfigMaps and Secrets out of server-side apply by default; this operator
        // applies all its dependents, which is what it is here to show.
        .withDefaultNonSSAResource(Set.of()));
    operator.register(new WebAppReconciler(), c -> c.settingNamespace(namespace));
    operator.installShutdownHook(Duration.ofSeconds(5));
    operator.start();
    System.out.println("webapp-operator " + identity + " started, watching " + namespace);
  }
}
