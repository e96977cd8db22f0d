package dev.tugboat.boot;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.tugboat.apiserver.ApiServer;
import dev.tugboat.client.ClientGateway;
import dev.tugboat.controller.ControllerLoop;
import dev.tugboat.controller.disruption.DisruptionController;
import dev.tugboat.controller.crd.CustomResourceCleanupController;
import dev.tugboat.controller.cronjob.CronJobController;
import dev.tugboat.controller.daemonset.DaemonSetController;
import dev.tugboat.controller.deployment.DeploymentController;
import dev.tugboat.controller.endpoints.EndpointsController;
import dev.tugboat.controller.event.EventExpiry;
import dev.tugboat.controller.gc.GarbageCollector;
import dev.tugboat.controller.hpa.HorizontalPodAutoscalerController;
import dev.tugboat.controller.hpa.ReplicaCalculator;
import dev.tugboat.controller.ingress.IngressStatusController;
import dev.tugboat.controller.job.JobController;
import dev.tugboat.controller.job.JobPlan;
import dev.tugboat.controller.namespace.NamespaceController;
import dev.tugboat.controller.nodelifecycle.NodeLifecycleController;
import dev.tugboat.controller.replicaset.ReplicaSetController;
import dev.tugboat.controller.resourcequota.ResourceQuotaController;
import dev.tugboat.controller.service.ServiceController;
import dev.tugboat.controller.serviceaccount.ServiceAccountsController;
import dev.tugboat.controller.statefulset.StatefulSetController;
import dev.tugboat.controller.volume.ClaimBinder;
import dev.tugboat.controller.volume.VolumeReclaimer;
import dev.tugboat.kinds.Kinds;
import dev.tugboat.kinds.service.ClusterIpRange;
import dev.tugboat.node.NodeAgent;
import dev.tugboat.node.NodeSettings;
import dev.tugboat.node.ServiceAccountVolume;
import dev.tugboat.protocol.ApiServers;
import dev.tugboat.controller.kubernetesservice.KubernetesServiceController;
import dev.tugboat.proxy.ServiceProxy;
import dev.tugboat.dns.ClusterDns;
import dev.tugboat.dns.DnsSettings;
import dev.tugboat.proxy.ingress.IngressController;
import dev.tugboat.proxy.ingress.IngressSettings;
import dev.tugboat.admission.AdmissionWebhooks;
import dev.tugboat.registry.CustomResourceServing;
import dev.tugboat.registry.IngressClasses;
import dev.tugboat.registry.PriorityClasses;
import dev.tugboat.registry.Namespaces;
import dev.tugboat.registry.Registry;
import dev.tugboat.registry.ShardLeases;
import dev.tugboat.registry.Requester;
import dev.tugboat.registry.ValidatingPolicies;
import dev.tugboat.controller.rbac.ClusterRoleAggregationController;
import dev.tugboat.registry.RbacDefaults;
import dev.tugboat.security.Authentication;
import dev.tugboat.security.Authenticator;
import dev.tugboat.security.Kubeconfig;
import dev.tugboat.security.ServiceAccountAuthenticator;
import dev.tugboat.security.ServiceAccountKeys;
import dev.tugboat.security.ServiceAccountTokens;
import dev.tugboat.security.TokenFileAuthenticator;
import dev.tugboat.security.X509Authenticator;
import java.time.Clock;
import dev.tugboat.registry.StorageClasses;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.DockerRuntime;
import dev.tugboat.runtime.SimulatedRuntime;
import dev.tugboat.scheduler.Placement;
import dev.tugboat.scheduler.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Tugboat member: its Cassandra (embedded, or the configured cluster), its ActorSystem
 * joined to the Pekko cluster, and (with the control-plane role) the HTTP API.
 *
 * <p>{@link #close()} stops them in reverse order: the API, the actor system (which persists what is
 * in flight), then the Cassandra this member started.
 */
public final class Tugboat implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Tugboat.class);
  public static final String SYSTEM_NAME = "tugboat";
  /** Members with this role run a node agent (and, later, the service proxy). */
  public static final String WORKER_ROLE = "worker";

  private final TugboatSettings settings;
  private final EmbeddedCassandra cassandra; // null with an external cluster
  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final List<ContainerRuntime> runtimes;
  private final Optional<ApiTls> tls;
  // the singletons tugboat.controllers.run left out, which startSingleton can still start
  private final Map<String, Runnable> notStarted;

  private Tugboat(TugboatSettings settings, EmbeddedCassandra cassandra, ActorSystem<Void> system,
      ServerBinding binding, List<ContainerRuntime> runtimes, Optional<ApiTls> tls, Map<String, Runnable> notStarted) {
    this.settings = settings;
    this.cassandra = cassandra;
    this.system = system;
    this.binding = binding;
    this.runtimes = runtimes;
    this.tls = tls;
    this.notStarted = notStarted;
  }

  /**
   * The cluster-wide singletons: the scheduler and the controllers named in
   * {@code tugboat.controllers.run} (they move when their member dies).
   *
   * @return how to start each of the others later ({@link #startSingleton})
   */
  private static Map<String, Runnable> startControlPlane(ActorSystem<Void> system, Registry registry, Config config,
      TugboatSettings settings) {
    Config controllers = config.getConfig("tugboat.controllers");
    Duration resync = controllers.getDuration("resync");
    int workers = controllers.getInt("workers");
    String host = settings.nodeName();
    Map<String, Supplier<Behavior<?>>> all = new LinkedHashMap<>();
    // each controller writes as its own ServiceAccount, the scheduler as itself (the audit trail shows who)
    Function<String, Registry> as = name -> registry.as(Requester.controller(name));
    all.put("namespace", () -> NamespaceController.create(as.apply("namespace-controller"), controllers.getDuration("namespace-period")));
    all.put("replicaset", () -> ControllerLoop.create("replicaset-controller", as.apply("replicaset-controller"),
        new ReplicaSetController(as.apply("replicaset-controller"), host), resync, workers));
    all.put("deployment", () -> ControllerLoop.create("deployment-controller", as.apply("deployment-controller"),
        new DeploymentController(as.apply("deployment-controller"), host), resync, workers));
    all.put("job", () -> ControllerLoop.create("job-controller", as.apply("job-controller"), new JobController(as.apply("job-controller"), host,
        new JobPlan.Backoff(controllers.getDuration("job-backoff-base"), controllers.getDuration("job-backoff-max"))),
        resync, workers));
    all.put("cronjob", () -> ControllerLoop.create("cronjob-controller", as.apply("cronjob-controller"),
        new CronJobController(as.apply("cronjob-controller"), host), resync, workers));
    all.put("daemonset", () -> ControllerLoop.create("daemonset-controller", as.apply("daemonset-controller"),
        new DaemonSetController(as.apply("daemonset-controller"), host), resync, workers));
    all.put("statefulset", () -> ControllerLoop.create("statefulset-controller", as.apply("statefulset-controller"),
        new StatefulSetController(as.apply("statefulset-controller"), host), resync, workers));
    Config hpa = controllers.getConfig("horizontal-pod-autoscaler");
    all.put("horizontal-pod-autoscaler", () -> ControllerLoop.create("horizontal-pod-autoscaler", as.apply("horizontal-pod-autoscaler"),
        new HorizontalPodAutoscalerController(as.apply("horizontal-pod-autoscaler"), system, host, new HorizontalPodAutoscalerController.Settings(
            hpa.getDuration("sync-period"), hpa.getDuration("downscale-stabilization"),
            new ReplicaCalculator.Settings(hpa.getDouble("tolerance"), hpa.getDuration("cpu-initialization-period"),
                hpa.getDuration("initial-readiness-delay")))), resync, workers));
    all.put("persistentvolume-binder", () -> ControllerLoop.create("persistentvolume-binder", as.apply("persistentvolume-binder"),
        new ClaimBinder(as.apply("persistentvolume-binder"), host), resync, workers));
    all.put("persistentvolume", () -> ControllerLoop.create("persistentvolume-controller", as.apply("persistentvolume-controller"),
        new VolumeReclaimer(as.apply("persistentvolume-controller"), host), resync, workers));
    all.put("node-lifecycle", () -> NodeLifecycleController.create(as.apply("node-controller"),
        controllers.getDuration("node-monitor-period"), controllers.getDuration("node-grace-period"),
        controllers.getDuration("node-startup-grace-period"), controllers.getDuration("fence-margin"), host));
    all.put("garbage-collector", () -> GarbageCollector.create(as.apply("generic-garbage-collector"), controllers.getDuration("gc-period")));
    Duration eventTtl = controllers.getDuration("event-ttl");
    // a pass a minute, or four per TTL where it is shorter: an Event outlives its TTL by at most a quarter of it
    Duration eventPass = eventTtl.dividedBy(4).compareTo(Duration.ofMinutes(1)) < 0
        ? Duration.ofMillis(Math.max(250, eventTtl.dividedBy(4).toMillis())) : Duration.ofMinutes(1);
    all.put("event-ttl", () -> EventExpiry.create(as.apply("event-ttl-controller"), eventTtl, eventPass));
    all.put("service", () -> ControllerLoop.create("service-controller", as.apply("service-controller"),
        new ServiceController(as.apply("service-controller"), clusterIpRange(config),
            ServiceController.range(config.getString("tugboat.proxy.node-port-range")),
            ServiceController.range(config.getString("tugboat.proxy.pod-port-range"))), resync, 1));
    // kube-apiserver's own reconciler in Kubernetes: its writes are the API server's (system:apiserver)
    all.put("kubernetes-service", () -> KubernetesServiceController.create(registry, clusterIpRange(config), resync));
    all.put("endpoints", () -> ControllerLoop.create("endpoints-controller", as.apply("endpoints-controller"),
        new EndpointsController(as.apply("endpoints-controller")), resync, workers));
    all.put("ingress-status", () -> ControllerLoop.create("ingress-status-controller", as.apply("ingress-status-controller"),
        new IngressStatusController(as.apply("ingress-status-controller"), config.getInt("tugboat.proxy.ingress.http-port"),
            config.getInt("tugboat.proxy.ingress.https-port")), resync, workers));
    all.put("resourcequota", () -> ControllerLoop.create("resourcequota-controller", as.apply("resourcequota-controller"),
        new ResourceQuotaController(as.apply("resourcequota-controller")), resync, workers));
    all.put("disruption", () -> ControllerLoop.create("disruption-controller", as.apply("disruption-controller"),
        new DisruptionController(as.apply("disruption-controller"), controllers.getDuration("disruption-recheck")), resync, workers));
    all.put("serviceaccount", () -> ControllerLoop.create("serviceaccount-controller", as.apply("serviceaccount-controller"),
        new ServiceAccountsController(as.apply("serviceaccount-controller")), resync, 1));
    all.put("clusterrole-aggregation", () -> ControllerLoop.create("clusterrole-aggregation-controller", as.apply("clusterrole-aggregation-controller"),
        new ClusterRoleAggregationController(as.apply("clusterrole-aggregation-controller")), resync, 1));
    all.put("crd-cleanup", () -> ControllerLoop.create("crd-cleanup-controller", as.apply("crd-cleanup-controller"),
        new CustomResourceCleanupController(as.apply("crd-cleanup-controller")), resync, 1));
    all.put("scheduler", () -> Scheduler.create(registry.as(Requester.scheduler()), Placement.defaults(config.getInt("tugboat.scheduler.percentage-of-nodes-to-score")), config.getInt("tugboat.scheduler.parallelism"),
        config.getDuration("tugboat.scheduler.retry-unschedulable"), host));
    List<String> run = controllers.getStringList("run");
    for (String name : run) {
      if (!name.equals("*") && !all.containsKey(name)) {
        throw new IllegalArgumentException("tugboat.controllers.run: unknown controller \"" + name + "\"; known: "
            + String.join(", ", all.keySet()));
      }
    }
    ClusterSingleton singletons = ClusterSingleton.get(system);
    ClusterSingletonSettings onControlPlane =
        ClusterSingletonSettings.create(system).withRole(Registry.CONTROL_PLANE_ROLE);
    Map<String, Runnable> notStarted = new LinkedHashMap<>();
    all.forEach((name, behavior) -> {
      String actorName = name.equals("scheduler") || name.equals("garbage-collector") ? name : name + "-controller";
      Runnable start = () -> singletons.init(SingletonActor.of(restarting(behavior.get().<Object>unsafeCast()), actorName)
          .withSettings(onControlPlane));
      if (run.contains("*") || run.contains(name)) start.run();
      else notStarted.put(name, start);
    });
    return notStarted;
  }

  /**
   * Nothing of a control-plane member writes before its cluster holds the keyspace
   * ({@link ClusterLease}); then the lease's keeper runs as a singleton, and a clean stop gives it back.
   */
  private static void holdKeyspace(ActorSystem<Void> system, Config config) {
    ClusterLease lease = new ClusterLease(system, config);
    if (!lease.enabled()) return;
    try {
      lease.gate();
    } catch (RuntimeException e) {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // the refusal below says what matters
      }
      throw e;
    }
    lease.releaseOnShutdown();
    ClusterSingleton.get(system).init(SingletonActor.of(restarting(lease.keeper()), "cluster-lease")
        .withSettings(ClusterSingletonSettings.create(system).withRole(Registry.CONTROL_PLANE_ROLE)));
  }

  /**
   * The API serves once {@code default}, {@code kube-system} and {@code kube-public} exist, as
   * kube-apiserver's readiness waits for its bootstrap hook: a client's first write into
   * {@code default} must not find it missing. They keep being retried past the wait, and a member
   * whose store is slow serves meanwhile (saying so) rather than not at all.
   */
  private static void awaitDefaults(CompletableFuture<?> defaults) {
    try {
      defaults.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      LoggerFactory.getLogger(Tugboat.class).warn("The default namespaces are not created after 60 s (is Cassandra slow?);"
          + " serving the API meanwhile");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      LoggerFactory.getLogger(Tugboat.class).warn("The default namespaces: {}", rootMessage(e));
    }
  }

  /** {@code tugboat.proxy.cluster-ip-range}; a value that is no IPv4 CIDR block stops the start, naming the setting. */
  static ClusterIpRange clusterIpRange(Config config) {
    String text = config.getString("tugboat.proxy.cluster-ip-range");
    try {
      return ClusterIpRange.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tugboat.proxy.cluster-ip-range: " + e.getMessage(), e);
    }
  }

  /**
   * A singleton that fails is started again, after 1 s doubling to 30 s, rather than staying stopped
   * (a cluster singleton that stops is not restarted until its member leaves). Controllers and the
   * scheduler rebuild what they know from the index when they start, so a restart loses nothing.
   */
  static <T> Behavior<T> restarting(Behavior<T> behavior) {
    return Behaviors.supervise(behavior)
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
  }

  /**
   * The node agents of this worker: one on the real runtime, or (benchmarks) several on simulated
   * ones. Returns the runtimes, closed when the member stops; their containers keep running.
   */
  private static List<ContainerRuntime> startNodeAgents(ActorSystem<Void> system, Registry registry, Config config,
      TugboatSettings settings, ServiceAccountVolume.Source tokens) {
    NodeSettings node = NodeSettings.from(config, settings.nodeName());
    List<ContainerRuntime> runtimes = new ArrayList<>();
    if (config.getString("tugboat.node.runtime").equals("simulated")) {
      int count = config.getInt("tugboat.node.simulated.nodes");
      for (int i = 0; i < count; i++) {
        SimulatedRuntime runtime = new SimulatedRuntime(config.getDuration("tugboat.node.simulated.start-latency"),
            config.getDouble("tugboat.node.simulated.failure-rate"), i);
        runtimes.add(runtime);
        String name = count == 1 ? node.nodeName() : node.nodeName() + "-" + i;
        system.systemActorOf(NodeAgent.create(registry.as(Requester.node(name)), runtime, node.withNodeName(name).withoutFence()), "node-agent-" + name,
            Props.empty());
      }
    } else {
      DockerRuntime runtime = new DockerRuntime(config.getString("tugboat.node.docker-host"),
          config.getString("tugboat.node.sandbox-image"));
      runtimes.add(runtime);
      system.systemActorOf(NodeAgent.create(registry.as(Requester.node(node.nodeName())), runtime, node, tokens),
          "node-agent", Props.empty());
      system.systemActorOf(ServiceProxy.create(registry, node.nodeName(), node.address(), runtime.podGateway(),
          clusterIpRange(config), config.getDuration("tugboat.proxy.resync"), config.getDuration("tugboat.proxy.udp-idle-timeout")),
          "service-proxy", Props.empty());
      DnsSettings dns = DnsSettings.from(config);
      if (dns.enabled()) {
        String host = dns.address().isEmpty() ? runtime.podGateway() : dns.address();
        if (host == null) {
          system.log().warn("Cluster DNS: no pod gateway (is the Docker bridge there?) and no tugboat.dns.address: not started");
        } else {
          system.systemActorOf(ClusterDns.create(registry, dns, clusterIpRange(config), host), "cluster-dns",
              Props.empty());
        }
      }
      IngressSettings ingress = IngressSettings.from(config, node.address());
      if (ingress.enabled()) {
        system.systemActorOf(IngressController.create(registry.as(Requester.controller("ingress-controller")), ingress), "ingress-controller", Props.empty());
      }
    }
    return runtimes;
  }

  /** Starts a member from the given configuration (see {@code conf/application.conf}). */
  public static Tugboat start(Config config) {
    TugboatSettings settings = TugboatSettings.from(config);
    EmbeddedCassandra cassandra = settings.embedded() ? EmbeddedCassandra.start(settings.embeddedCassandra()) : null;
    try {
      Config effective = RemoteTls.apply(config.withValue("datastax-java-driver.basic.contact-points",
          ConfigValueFactory.fromIterable(settings.effectiveContactPoints())), settings);
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, effective);
      Cluster cluster = Cluster.get(system);
      if (effective.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }
      // The registry first: its read journal opens the Cassandra session with the plugin's schema
      // creation, which the lease's queries then share. It only reads until the lease is held.
      Registry registry = new Registry(system, Kinds.strategies());
      if (cluster.selfMember().hasRole(Registry.CONTROL_PLANE_ROLE)) {
        holdKeyspace(system, effective);
        // the session of the shard leases, renewed from now on, before the first shard asks for one
        ShardLeases.get(system);
      }
      system.systemActorOf(CustomResourceServing.create(registry), "custom-resource-serving", Props.empty());
      // every member writes through its registry, so every member applies the policies (beside webhooks)
      ValidatingPolicies.start(system, registry);
      ServerBinding binding;
      Optional<ApiTls> tls;
      List<ContainerRuntime> runtimes = new ArrayList<>();
      Map<String, Runnable> notStarted = Map.of();
      try {
        if (cluster.selfMember().hasRole(Registry.CONTROL_PLANE_ROLE)) {
          var defaults = Namespaces.ensureDefaults(system, registry).toCompletableFuture();
          StorageClasses.ensureDefault(system, registry);
          IngressClasses.ensureDefault(system, registry);
          PriorityClasses.ensureBuiltIn(system, registry);
          // Only where RBAC decides: under AlwaysAllow nothing reads them, and each is an entity more
          // to recover and persist on a fresh keyspace (every test member's start). A member started
          // later with RBAC creates whichever are absent.
          if (effective.getString("tugboat.api.authorization-mode").equals("RBAC")) RbacDefaults.ensure(system, registry);
          notStarted = startControlPlane(system, registry, effective, settings);
          system.systemActorOf(ClientGateway.create(registry.as(Requester.inClusterClient())), "client-gateway", Props.empty());
          awaitDefaults(defaults);
        }
        tls = ApiTls.from(effective, settings);
        Authentication authentication = authentication(effective, settings, registry, tls);
        if (cluster.selfMember().hasRole(WORKER_ROLE)) {
          runtimes.addAll(startNodeAgents(system, registry, effective, settings, podTokens(effective, authentication, tls)));
        }
        // Every member serving the API admits its writes: webhooks without a caBundle trust the cluster CA.
        AdmissionWebhooks.install(system, registry, tls.map(t -> t.ca().caPem()).orElse(null));
        binding = ApiServer.bind(system, registry, settings.apiHost(), settings.apiPort(), settings.maxBodyBytes(),
            authentication, tls.map(t -> t.ca().serverContext()))
            .toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (cluster.selfMember().hasRole(Registry.CONTROL_PLANE_ROLE)) {
          system.systemActorOf(ApiServers.announcer(apiAddress(binding, cluster), binding.localAddress().getPort()),
              "api-server-announcer", Props.empty());
        }
      } catch (Exception e) {
        system.terminate();
        runtimes.forEach(ContainerRuntime::close);
        throw new IllegalStateException("Cannot serve the API on " + settings.apiHost() + ":"
            + settings.apiPort() + ": " + rootMessage(e), e);
      }
      String scheme = tls.isPresent() ? "https" : "http";
      log.info("Tugboat member {} ({}) is up; API on {}://{}:{}",
          settings.nodeName(), cluster.selfMember().address(), scheme,
          binding.localAddress().getHostString(), binding.localAddress().getPort());
      if (tls.isPresent()) {
        // A wildcard bind address is no name a certificate carries: the kubeconfig says loopback.
        String host = binding.localAddress().getAddress().isAnyLocalAddress() ? "127.0.0.1"
            : binding.localAddress().getHostString();
        String url = scheme + "://" + host + ":" + binding.localAddress().getPort();
        Kubeconfig.write(settings.dataDir().resolve("kubeconfig"), url, tls.get().ca());
      } else {
        log.warn("THE API IS SERVED OVER PLAIN HTTP, WITHOUT TLS: every request is anonymous and readable on the "
            + "wire. Set tugboat.api.tls.enabled = on (docs/security.md).");
      }
      return new Tugboat(settings, cassandra, system, binding, runtimes, tls, notStarted);
    } catch (RuntimeException e) {
      if (cassandra != null) cassandra.close();
      throw e;
    }
  }

  /**
   * What node agents mount into pods: tokens signed by this member's ServiceAccount key (members
   * share it through the pki directory, so every member's API accepts them) and the cluster CA.
   */
  private static ServiceAccountVolume.Source podTokens(Config config, Authentication authentication, Optional<ApiTls> tls) {
    Duration ttl = config.getDuration("tugboat.node.service-account-token-expiration");
    return authentication.serviceAccountTokens().map(tokens -> new ServiceAccountVolume.Source(
        (namespace, account, accountUid, pod, podUid, life, now) -> {
          ServiceAccountTokens.Issued issued = tokens.issue(new ServiceAccountTokens.Account(namespace, account, accountUid),
              new ServiceAccountTokens.BoundPod(pod, podUid), List.of(), life, now);
          return new ServiceAccountVolume.Token(issued.token(), issued.expiration().minus(life), issued.expiration());
        }, tls.map(t -> t.ca().caPem()).orElse(null), ttl)).orElse(ServiceAccountVolume.Source.NONE);
  }

  /**
   * The address the kubernetes Service's Endpoints give for this member's API: its bind address, or
   * for a wildcard one the member's cluster address (what other members reach it by), as an IP.
   */
  private static String apiAddress(ServerBinding binding, Cluster cluster) {
    java.net.InetAddress bound = binding.localAddress().getAddress();
    if (!bound.isAnyLocalAddress()) return bound.getHostAddress();
    String host = cluster.selfMember().address().getHost().orElse("127.0.0.1");
    try {
      return java.net.InetAddress.getByName(host).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      return "127.0.0.1";
    }
  }

  /**
   * Client certificates of the cluster CA when the API speaks TLS, then ServiceAccount tokens, then
   * bearer tokens from the token file.
   */
  private static Authentication authentication(Config config, TugboatSettings settings, Registry registry,
      Optional<ApiTls> tls) {
    List<Authenticator> chain = new ArrayList<>();
    tls.ifPresent(t -> chain.add(new X509Authenticator(t.ca(), Clock.systemUTC())));
    // Before the token file, which refuses every bearer token it does not know.
    Config sa = config.getConfig("tugboat.api.service-account");
    if (sa.getBoolean("enabled")) {
      String pki = config.getString("tugboat.api.tls.pki-dir");
      java.nio.file.Path dir = (pki.isBlank() ? settings.dataDir().resolve("pki") : java.nio.file.Path.of(pki)).toAbsolutePath();
      List<String> audiences = sa.getStringList("audiences").isEmpty() ? List.of(sa.getString("issuer"))
          : sa.getStringList("audiences");
      chain.add(new ServiceAccountAuthenticator(new ServiceAccountTokens(ServiceAccountKeys.loadOrCreate(dir),
          sa.getString("issuer"), audiences), registry, Clock.systemUTC()));
    }
    String tokenFile = config.getString("tugboat.api.token-auth-file");
    if (!tokenFile.isEmpty()) {
      TokenFileAuthenticator tokens = TokenFileAuthenticator.read(java.nio.file.Path.of(tokenFile));
      // how many, never which: a token in a log is a credential in a log
      log.info("Bearer tokens: {} from {}", tokens.size(), tokenFile);
      chain.add(tokens);
    }
    return new Authentication(chain);
  }

  /** Loads {@code application.conf} under the given overrides (which win). */
  public static Config loadConfig(Config overrides) {
    return ConfigFactory.load(overrides.withFallback(ConfigFactory.defaultApplication()));
  }

  public TugboatSettings settings() {
    return settings;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** The port the API really listens on (useful when configured as 0). */
  public int apiPort() {
    return binding.localAddress().getPort();
  }

  public String apiUrl() {
    return (tls.isPresent() ? "https://" : "http://") + binding.localAddress().getHostString() + ":" + apiPort();
  }

  /** The API's TLS (its cluster CA), when it is served over HTTPS. */
  public Optional<ApiTls> tls() {
    return tls;
  }

  /** The admin's kubeconfig this member wrote (when TLS is on): {@code <data-dir>/kubeconfig}. */
  public java.nio.file.Path kubeconfig() {
    return settings.dataDir().resolve("kubeconfig");
  }

  public EmbeddedCassandra cassandra() {
    return cassandra;
  }

  /**
   * Starts a cluster singleton that {@code tugboat.controllers.run} left out, on this member's
   * cluster. {@code tug bench schedule} starts the scheduler so, once its pods wait Pending, as
   * kube-scheduler's scheduler_perf does.
   *
   * @throws IllegalArgumentException for a name that is no controller, or one already started
   */
  public void startSingleton(String name) {
    Runnable start = notStarted.get(name);
    if (start == null) {
      throw new IllegalArgumentException("\"" + name + "\" is no controller this member left out; it left out "
          + String.join(", ", notStarted.keySet()));
    }
    notStarted.remove(name);
    start.run();
  }

  /** Completes when the actor system has terminated, for whatever reason. */
  public CompletableFuture<Void> whenTerminated() {
    return system.getWhenTerminated().toCompletableFuture().thenApply(done -> null);
  }

  @Override
  public void close() {
    try {
      binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("Unbinding the API failed: {}", rootMessage(e));
    }
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("The actor system did not terminate cleanly: {}", rootMessage(e));
    }
    closeResources();
  }

  /**
   * What {@link #close} ends besides the actor system: the container runtimes' clients and the
   * embedded Cassandra, for a process that gives up on an actor system that does not terminate.
   */
  public void closeResources() {
    runtimes.forEach(ContainerRuntime::close);
    if (cassandra != null) cassandra.close();
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
