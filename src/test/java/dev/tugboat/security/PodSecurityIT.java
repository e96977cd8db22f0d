package dev.tugboat.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tugboat.boot.EmbeddedCassandra;
import dev.tugboat.boot.Tugboat;
import dev.tugboat.compat.Kubectl;
import dev.tugboat.runtime.ContainerRuntime;
import dev.tugboat.runtime.DockerRuntime;
import dev.tugboat.testing.Api;
import dev.tugboat.testing.JavaImage;
import dev.tugboat.testing.Await;
import dev.tugboat.testing.NodeContainers;
import dev.tugboat.testing.SharedCassandra;
import dev.tugboat.testing.TestTugboat;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pod Security admission and the runtime's securityContext, on one Tugboat with the real Docker
 * engine: each baseline rule refused with a 403 naming the field (dry run too, nothing written,
 * kubectl prints it); a Deployment's template only warned of; a privileged namespace runs a
 * hostPath pod; a restricted one refuses root; a hardened pod runs as its user with a read-only
 * root and no capabilities, as {@code docker inspect} and the container itself show; runAsNonRoot
 * on a root image waits in CreateContainerConfigError. A Java program in a pod, fabric8 in-cluster
 * on its mounted service account token, is refused and then, once a RoleBinding allows, lists pods.
 * And a body without a Content-Type, or a browser's text/plain, is a 415 that writes nothing, while
 * kubectl 1.20 (which sends none) works.
 */
@ExtendWith(SharedCassandra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodSecurityIT {
  private static final String DEFAULT = "/api/v1/namespaces/default/";
  private static final String IMAGE = "tugboat/busybox:1.0";
  private static final String CLUSTER_IP_RANGE = "10.111.240.0/24";
  private static final String API_IP = "10.111.240.1";
  private final String node = "podsec-it-" + ProcessHandle.current().pid();
  private Path work;
  private Tugboat tugboat;
  private Api api;
  private Kubectl kubectl;

  @BeforeAll
  void start(EmbeddedCassandra cassandra) throws Exception {
    work = Files.createTempDirectory("podsec-it");
    Map<String, Object> config = new HashMap<>();
    config.put("pekko.cluster.roles", List.of("control-plane", "worker"));
    config.put("tugboat.node-name", node);
    // A cluster IP range of its own (inside the default one's route): the kubernetes Service at its
    // first address is then this member's, not that of a `tug up` cluster running beside the suite.
    config.put("tugboat.proxy.cluster-ip-range", CLUSTER_IP_RANGE);
    tugboat = TestTugboat.start(cassandra, "podsec_it_" + ProcessHandle.current().pid(), config);
    api = Api.of(tugboat);
    kubectl = Kubectl.v135(work).configure(tugboat, "default");
    Await.until("node " + node + " registered", Duration.ofSeconds(60), () -> api.get("/api/v1/nodes/" + node).code() == 200);
  }

  @AfterAll
  void stop() throws Exception {
    if (tugboat != null) tugboat.close();
    NodeContainers.removeAll(node);
    if (work != null) {
      try (Stream<Path> walk = Files.walk(work)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String pod(String name, String spec) {
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},"spec":{"terminationGracePeriodSeconds":0,%s}}"""
        .formatted(name, spec);
  }

  private static String container(String extra) {
    return "{\"name\":\"c\",\"image\":\"" + IMAGE + "\",\"command\":[\"sleep\",\"3600\"]" + extra + "}";
  }

  private void namespace(String name, String level) {
    Api.Reply r = api.post("/api/v1/namespaces", """
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%s","labels":{"pod-security.kubernetes.io/enforce":"%s"}}}"""
        .formatted(name, level));
    assertEquals(201, r.code(), r.body());
  }

  private String log(String namespace, String pod) {
    Api.Reply r = api.get("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/log");
    return r.code() == 200 ? r.body() : "";
  }

  /** Each row: a pod name, its spec, and the violation baseline must name. */
  private static final List<String[]> BASELINE = List.of(
      new String[] {"docker-socket", "\"containers\":[" + container(",\"volumeMounts\":[{\"name\":\"docker\",\"mountPath\":\"/var/run/docker.sock\"}]")
          + "],\"volumes\":[{\"name\":\"docker\",\"hostPath\":{\"path\":\"/var/run/docker.sock\"}}]",
          "hostPath volumes (volume \"docker\")"},
      new String[] {"host-network", "\"hostNetwork\":true,\"containers\":[" + container("") + "]", "host namespaces (hostNetwork=true)"},
      new String[] {"host-pid-ipc", "\"hostPID\":true,\"hostIPC\":true,\"containers\":[" + container("") + "]",
          "host namespaces (hostPID=true, hostIPC=true)"},
      new String[] {"privileged", "\"containers\":[" + container(",\"securityContext\":{\"privileged\":true}") + "]",
          "privileged (container \"c\" must not set securityContext.privileged=true)"},
      new String[] {"net-admin", "\"containers\":[" + container(",\"securityContext\":{\"capabilities\":{\"add\":[\"NET_ADMIN\"]}}") + "]",
          "non-default capabilities (container \"c\" must not include \"NET_ADMIN\" in securityContext.capabilities.add)"},
      new String[] {"host-port", "\"containers\":[" + container(",\"ports\":[{\"containerPort\":80,\"hostPort\":18080}]") + "]",
          "hostPort (container \"c\" uses hostPort 18080)"},
      new String[] {"seccomp", "\"securityContext\":{\"seccompProfile\":{\"type\":\"Unconfined\"}},\"containers\":[" + container("") + "]",
          "seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")"},
      new String[] {"apparmor", "\"containers\":[" + container(",\"securityContext\":{\"appArmorProfile\":{\"type\":\"Unconfined\"}}") + "]",
          "forbidden AppArmor profile (container \"c\" must not set the AppArmor profile to \"Unconfined\")"},
      new String[] {"selinux", "\"securityContext\":{\"seLinuxOptions\":{\"type\":\"spc_t\"}},\"containers\":[" + container("") + "]",
          "seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type, user or role)"},
      new String[] {"proc-mount", "\"containers\":[" + container(",\"securityContext\":{\"procMount\":\"Unmasked\"}") + "]",
          "procMount (container \"c\" must not set securityContext.procMount to \"Unmasked\")"},
      new String[] {"sysctl", "\"securityContext\":{\"sysctls\":[{\"name\":\"kernel.msgmax\",\"value\":\"1\"}]},\"containers\":["
          + container("") + "]", "forbidden sysctls (kernel.msgmax)"});

  @Test
  void baselineRefusesEachRuleNamingTheFieldAndWritesNothing() {
    List<String> wrong = new ArrayList<>();
    for (String[] row : BASELINE) {
      String expected = "pods \"" + row[0] + "\" is forbidden: violates PodSecurity \"baseline:latest\": " + row[2];
      for (String query : List.of("?dryRun=All", "")) {
        Api.Reply r = api.post(DEFAULT + "pods" + query, pod(row[0], row[1]));
        JsonNode status = r.code() == 403 ? r.json() : null;
        if (status == null || !"Forbidden".equals(status.path("reason").asText())
            || !expected.equals(status.path("message").asText())) {
          wrong.add(row[0] + query + ": " + r.code() + " " + r.body());
        }
      }
      if (api.get(DEFAULT + "pods/" + row[0]).code() != 404) wrong.add(row[0] + " was written");
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));

    // kubectl prints Kubernetes' words
    Kubectl.Result applied = kubectl.runWithInput(pod("docker-socket", BASELINE.get(0)[1]), "apply", "-f", "-");
    assertEquals(1, applied.exit(), applied.toString());
    assertTrue(applied.err().contains("is forbidden: violates PodSecurity \"baseline:latest\": hostPath volumes (volume \"docker\")"),
        applied.toString());
  }

  @Test
  void aWorkloadTemplateIsWarnedOfAndItsPodsRefused() {
    String deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"hostile"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"hostile"}},
           "template":{"metadata":{"labels":{"app":"hostile"}},"spec":{"hostNetwork":true,"containers":[%s]}}}}"""
        .formatted(container(""));
    Kubectl.Result applied = kubectl.runWithInput(deployment, "apply", "-f", "-");
    assertEquals(0, applied.exit(), applied.toString());
    assertTrue(applied.err().contains("Warning: would violate PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true)"),
        applied.toString());
    // the ReplicaSet's pod creates are refused: a FailedCreate Event says why, and no pod exists
    Await.until("a FailedCreate event naming the violation", Duration.ofSeconds(60), () ->
        api.get(DEFAULT + "events").body().contains("violates PodSecurity \\\"baseline:latest\\\": host namespaces (hostNetwork=true)"));
    assertEquals(0, api.get(DEFAULT + "pods?labelSelector=app%3Dhostile").json().path("items").size());
    assertEquals(200, api.delete("/apis/apps/v1/namespaces/default/deployments/hostile").code());
  }

  @Test
  void aPrivilegedNamespaceRunsAHostPathPod() throws Exception {
    namespace("podsec-privileged", "privileged");
    Path dir = Files.createDirectories(work.resolve("host-dir"));
    Files.writeString(dir.resolve("greeting"), "from the host");
    Api.Reply r = api.post("/api/v1/namespaces/podsec-privileged/pods", pod("host-reader",
        "\"containers\":[{\"name\":\"c\",\"image\":\"" + IMAGE + "\",\"command\":[\"sh\",\"-c\",\"cat /host/greeting; echo; sleep 3600\"],"
            // not privileged: this machine's Docker cannot start a privileged container at all (runc: "unable to apply caps")
            + "\"securityContext\":{\"capabilities\":{\"add\":[\"NET_ADMIN\"]}},"
            + "\"volumeMounts\":[{\"name\":\"h\",\"mountPath\":\"/host\"}]}],\"volumes\":[{\"name\":\"h\",\"hostPath\":{\"path\":\"" + dir + "\"}}]"));
    assertEquals(201, r.code(), r.body());
    Await.until("the host's file in the container's output", Duration.ofSeconds(60),
        () -> log("podsec-privileged", "host-reader").contains("from the host"));
    String uid = api.get("/api/v1/namespaces/podsec-privileged/pods/host-reader").json().at("/metadata/uid").asText();
    assertEquals("false|[NET_ADMIN]", inspect(uid, "{{.HostConfig.Privileged}}|{{.HostConfig.CapAdd}}"));
  }

  /**
   * The Security issue's in-cluster case: a Java program in a pod, fabric8 with no configuration
   * (its in-cluster one: the mounted token, ca.crt, namespace, KUBERNETES_SERVICE_HOST/PORT through
   * the kubernetes Service and the proxy), is refused (403) until a RoleBinding lets its account list
   * pods, then lists them. The volume's files, read-only, and the variables, as docker exec shows
   * them; a pod that opts out gets no directory; the files go with the pod.
   */
  @Test
  void aJavaProgramInAPodListsPodsWithItsMountedTokenOnceARoleBindingAllowsIt() throws Exception {
    String image = JavaImage.forProgram(InClusterPods.class);
    String ns = "/api/v1/namespaces/podtoken/";
    namespace("podtoken", "baseline");
    Await.until("podtoken has its default ServiceAccount", Duration.ofSeconds(30),
        () -> api.get(ns + "serviceaccounts/default").code() == 200);
    Api.Reply service = Await.until("the kubernetes Service lists this member's API", Duration.ofSeconds(30), () -> {
      Api.Reply e = api.get("/api/v1/namespaces/default/endpoints/kubernetes");
      if (e.code() != 200 || !e.body().contains("\"port\":" + tugboat.apiPort())) return null;
      Api.Reply s = api.get("/api/v1/namespaces/default/services/kubernetes"); // written apart from its Endpoints
      return s.code() == 200 ? s : null;
    });
    assertEquals(API_IP, service.at("/spec/clusterIP"), service.body());
    assertEquals("443", service.at("/spec/ports/0/port"));
    assertEquals("https", service.at("/spec/ports/0/name"));

    assertEquals(201, api.post(ns + "pods", pod("lister", "\"containers\":[{\"name\":\"c\",\"image\":\"" + image
        + "\",\"command\":[\"/jre/bin/java\",\"-XX:TieredStopAtLevel=1\",\"-XX:-UsePerfData\",\"-cp\",\"/app/classes:/app/lib/*\",\""
        + InClusterPods.class.getName() + "\"]}]")).code());
    Await.until("the program is refused: no RoleBinding names its account", Duration.ofSeconds(120),
        () -> log("podtoken", "lister").contains("HTTP 403"));
    String out = log("podtoken", "lister");
    assertTrue(out.contains("master https://" + API_IP + ":443/ namespace podtoken"), out);
    assertTrue(!out.contains("pods "), out);

    String uid = api.get(ns + "pods/lister").json().at("/metadata/uid").asText();
    String dir = dev.tugboat.node.ServiceAccountVolume.MOUNT_PATH;
    assertEquals("podtoken", exec(uid, "cat", dir + "/namespace"));
    assertEquals(tugboat.tls().orElseThrow().ca().caPem().trim(), exec(uid, "cat", dir + "/ca.crt"));
    String token = exec(uid, "cat", dir + "/token");
    Api.Reply review = api.post("/apis/authentication.k8s.io/v1/tokenreviews",
        "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\",\"spec\":{\"token\":\"" + token + "\"}}");
    assertEquals("system:serviceaccount:podtoken:default", review.at("/status/user/username"), review.body());
    assertTrue(exec(uid, "sh", "-c", "echo x > " + dir + "/token 2>&1 || echo refused").contains("refused"));
    String env = exec(uid, "sh", "-c", "env | grep ^KUBERNETES_ | sort");
    assertTrue(env.contains("KUBERNETES_SERVICE_HOST=" + API_IP + "\nKUBERNETES_SERVICE_PORT=443"), env);
    assertTrue(env.contains("KUBERNETES_PORT_443_TCP=tcp://" + API_IP + ":443"), env);
    assertTrue(env.contains("KUBERNETES_SERVICE_PORT_HTTPS=443"), env);

    assertEquals(201, api.post("/apis/rbac.authorization.k8s.io/v1/namespaces/podtoken/roles", """
        {"metadata":{"name":"pod-reader"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["list"]}]}""").code());
    assertEquals(201, api.post("/apis/rbac.authorization.k8s.io/v1/namespaces/podtoken/rolebindings", """
        {"metadata":{"name":"default-reads"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"pod-reader"},
         "subjects":[{"kind":"ServiceAccount","name":"default"}]}""").code());
    Await.until("the program lists its own pod", Duration.ofSeconds(30), () -> log("podtoken", "lister").contains("pods 1"));

    // automountServiceAccountToken: false on the pod: no directory, no token
    assertEquals(201, api.post(ns + "pods", pod("no-token", "\"automountServiceAccountToken\":false,\"containers\":["
        + container("") + "]")).code());
    Await.until("no-token runs", Duration.ofSeconds(60),
        () -> "Running".equals(api.get(ns + "pods/no-token").json().at("/status/phase").asText()));
    String noTokenUid = api.get(ns + "pods/no-token").json().at("/metadata/uid").asText();
    assertEquals("none", exec(noTokenUid, "sh", "-c", "ls /var/run/secrets/kubernetes.io 2>/dev/null || echo none"));

    // the volume's files live with the pod, on the node's secret tmpfs
    Path files = Path.of(tugboat.system().settings().config().getString("tugboat.node.secret-dir"), node, "pods", uid);
    assertTrue(Files.isDirectory(files), files.toString());
    assertEquals(200, api.delete(ns + "pods/lister").code());
    Await.until("the pod's token files are gone with it", Duration.ofSeconds(60), () -> !Files.exists(files));
  }

  /** {@code docker exec} in the pod's (only) app container: its output, trimmed. */
  private static String exec(String podUid, String... command) throws Exception {
    try (DockerRuntime docker = new DockerRuntime("unix:///var/run/docker.sock", IMAGE)) {
      String id = docker.listContainers(Map.of(ContainerRuntime.POD_UID, podUid)).stream()
          .filter(c -> !c.isSandbox()).findFirst().orElseThrow().id();
      List<String> args = new ArrayList<>(List.of("docker", "exec", id));
      args.addAll(List.of(command));
      Process exec = new ProcessBuilder(args).redirectErrorStream(true).start();
      String out = new String(exec.getInputStream().readAllBytes()).trim();
      assertEquals(0, exec.waitFor(), out);
      return out;
    }
  }

  /** {@code docker inspect -f format} of the pod's (only) app container. */
  private static String inspect(String podUid, String format) throws Exception {
    try (DockerRuntime docker = new DockerRuntime("unix:///var/run/docker.sock", IMAGE)) {
      String id = docker.listContainers(Map.of(ContainerRuntime.POD_UID, podUid)).stream()
          .filter(c -> !c.isSandbox()).findFirst().orElseThrow().id();
      Process inspect = new ProcessBuilder("docker", "inspect", "-f", format, id).redirectErrorStream(true).start();
      String inspected = new String(inspect.getInputStream().readAllBytes()).trim();
      assertEquals(0, inspect.waitFor(), inspected);
      return inspected;
    }
  }

  @Test
  void restrictedRefusesRootAndRunsAHardenedPodAsItsUser() throws Exception {
    namespace("podsec-restricted", "restricted");
    String base = "/api/v1/namespaces/podsec-restricted/pods";
    Api.Reply plain = api.post(base, pod("plain", "\"containers\":[" + container("") + "]"));
    assertEquals(403, plain.code(), plain.body());
    assertEquals("pods \"plain\" is forbidden: violates PodSecurity \"restricted:latest\": "
        + "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), "
        + "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true), "
        + "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"), "
        + "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"])",
        plain.json().path("message").asText());

    String hardenedContainer = "{\"name\":\"c\",\"image\":\"" + IMAGE + "\",\"command\":[\"sh\",\"-c\","
        + "\"busybox id; busybox touch /written 2>&1 || echo WRITE-REFUSED; busybox grep -E 'CapEff|NoNewPrivs' /proc/self/status; sleep 3600\"],"
        + "\"securityContext\":{\"allowPrivilegeEscalation\":false,\"readOnlyRootFilesystem\":true,\"capabilities\":{\"drop\":[\"ALL\"]}}}";
    Api.Reply root = api.post(base, pod("root", "\"securityContext\":{\"runAsNonRoot\":true,\"runAsUser\":0,"
        + "\"seccompProfile\":{\"type\":\"RuntimeDefault\"}},\"containers\":[" + hardenedContainer + "]"));
    assertEquals(403, root.code(), root.body());
    assertEquals("pods \"root\" is forbidden: violates PodSecurity \"restricted:latest\": runAsUser=0 (pod must not set runAsUser=0)",
        root.json().path("message").asText());

    Api.Reply hardened = api.post(base, pod("hardened", "\"securityContext\":{\"runAsNonRoot\":true,\"runAsUser\":1000,"
        + "\"runAsGroup\":3000,\"supplementalGroups\":[4000],\"seccompProfile\":{\"type\":\"RuntimeDefault\"}},\"containers\":["
        + hardenedContainer + "]"));
    assertEquals(201, hardened.code(), hardened.body());
    Await.until("the container's report of itself", Duration.ofSeconds(60),
        () -> log("podsec-restricted", "hardened").contains("NoNewPrivs"));
    String out = log("podsec-restricted", "hardened");
    assertTrue(out.contains("uid=1000 gid=3000 groups=3000,4000") || out.contains("uid=1000 gid=3000 groups=4000"), out);
    assertTrue(out.contains("Read-only file system") && out.contains("WRITE-REFUSED"), out);
    assertTrue(out.matches("(?s).*CapEff:\\s+0000000000000000.*"), out);
    assertTrue(out.matches("(?s).*NoNewPrivs:\\s+1.*"), out);

    String uid = api.get(base + "/hardened").json().at("/metadata/uid").asText();
    assertEquals("1000:3000|true|[ALL]|[no-new-privileges]|false|[4000]", inspect(uid,
        "{{.Config.User}}|{{.HostConfig.ReadonlyRootfs}}|{{.HostConfig.CapDrop}}|{{.HostConfig.SecurityOpt}}"
            + "|{{.HostConfig.Privileged}}|{{.HostConfig.GroupAdd}}"));
  }

  @Test
  void runAsNonRootOnARootImageWaitsInCreateContainerConfigError() {
    Api.Reply r = api.post(DEFAULT + "pods", pod("non-root", "\"securityContext\":{\"runAsNonRoot\":true},\"containers\":["
        + container("") + "]"));
    assertEquals(201, r.code(), r.body());
    Await.until("CreateContainerConfigError", Duration.ofSeconds(60), () -> {
      JsonNode waiting = api.get(DEFAULT + "pods/non-root").json().at("/status/containerStatuses/0/state/waiting");
      return "CreateContainerConfigError".equals(waiting.path("reason").asText())
          && "container has runAsNonRoot and image will run as root".equals(waiting.path("message").asText());
    });
    String uid = api.get(DEFAULT + "pods/non-root").json().at("/metadata/uid").asText();
    try (DockerRuntime docker = new DockerRuntime("unix:///var/run/docker.sock", IMAGE)) {
      assertTrue(docker.listContainers(Map.of(ContainerRuntime.POD_UID, uid)).stream().allMatch(ContainerRuntime.ContainerInfo::isSandbox),
          "no container of the pod was created");
    }
  }

  @Test
  void aBodyWithoutAContentTypeOrAsTextPlainIsA415AndWritesNothing() {
    String configMap = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"NAME\"},\"data\":{\"k\":\"v\"}}";
    // what a web page can send without a preflight: text/plain, or a Blob with no type at all
    Api.Reply textPlain = api.send(HttpRequest.newBuilder(api.uri(DEFAULT + "configmaps"))
        .header("Content-Type", "text/plain;charset=UTF-8").header("Origin", "http://evil.example")
        .POST(HttpRequest.BodyPublishers.ofString(configMap.replace("NAME", "from-text"))));
    Api.Reply untyped = api.send(HttpRequest.newBuilder(api.uri(DEFAULT + "configmaps"))
        .POST(HttpRequest.BodyPublishers.ofString(configMap.replace("NAME", "from-untyped"))));
    Api.Reply untypedPut = api.send(HttpRequest.newBuilder(api.uri(DEFAULT + "configmaps/from-untyped"))
        .PUT(HttpRequest.BodyPublishers.ofString(configMap.replace("NAME", "from-untyped"))));
    Api.Reply untypedPatch = api.send(HttpRequest.newBuilder(api.uri(DEFAULT + "configmaps/from-untyped"))
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"data\":{\"k\":\"w\"}}")));
    for (Api.Reply r : List.of(textPlain, untyped, untypedPut, untypedPatch)) {
      assertEquals(415, r.code(), r.body());
      assertEquals("Status", r.json().path("kind").asText(), r.body());
      assertEquals("UnsupportedMediaType", r.json().path("reason").asText(), r.body());
    }
    assertTrue(untyped.json().path("message").asText().contains("no Content-Type"), untyped.body());
    assertEquals(404, api.get(DEFAULT + "configmaps/from-text").code());
    assertEquals(404, api.get(DEFAULT + "configmaps/from-untyped").code());

    // kubectl 1.20 sends create configmap's JSON with no Content-Type: still served (its User-Agent says kubectl)
    Kubectl old = Kubectl.v120(work).configure(tugboat, "default");
    Kubectl.Result created = old.run("create", "configmap", "from-kubectl-120", "--from-literal=k=v");
    assertEquals(0, created.exit(), created.toString());
    assertEquals("v", api.get(DEFAULT + "configmaps/from-kubectl-120").json().at("/data/k").asText());
  }
}
