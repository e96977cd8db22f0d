package dev.tugboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tug secrets reencrypt}: rewrites every Secret, so that each is stored under the newest key
 * of the encryption key file; afterwards an older key can leave the file (docs/operations.md). Each
 * Secret is replaced with itself, as Kubernetes' own recipe
 * ({@code kubectl get secrets -A -o json | kubectl replace -f -}) does; the server stores even an
 * unchanged Secret anew. Twice: an encrypted kind keeps its newest snapshot and the one before it
 * (Pekko deletes a snapshot only once a newer one covers the events it would need), so the second
 * write is what retires the last copy under the old key.
 */
@Command(name = "secrets", mixinStandardHelpOptions = true, description = "Operations on all Secrets.",
    subcommands = SecretsCommand.Reencrypt.class)
final class SecretsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "reencrypt", mixinStandardHelpOptions = true,
      description = "Store every Secret again under the newest encryption key.")
  static final class Reencrypt implements Callable<Integer> {
    /** How often a Secret that changed under us is read and written again. */
    private static final int ATTEMPTS = 5;
    @Mixin ClientOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ApiClient api = options.client();
      int count = 0;
      for (JsonNode secret : api.get("/api/v1/secrets").path("items")) {
        String ns = secret.path("metadata").path("namespace").asText();
        String name = secret.path("metadata").path("name").asText();
        String path = "/api/v1/namespaces/" + Resources.encode(ns) + "/secrets/" + Resources.encode(name);
        rewrite(api, path, secret);
        rewrite(api, path, api.get(path));
        out.println("secret/" + name + " -n " + ns + " re-encrypted");
        count++;
      }
      out.println(count + " secrets re-encrypted");
      return 0;
    }

    /** Replaces the Secret with itself; when it changed meanwhile (409), with its newer self. */
    private static void rewrite(ApiClient api, String path, JsonNode secret) {
      JsonNode current = secret;
      for (int attempt = 1; ; attempt++) {
        try {
          api.send("PUT", path, current, "application/json", "application/json");
          return;
        } catch (ApiException e) {
          if (e.code() == 404) return; // deleted meanwhile: nothing left to re-encrypt
          if (e.code() != 409 || attempt == ATTEMPTS) throw e;
          current = api.get(path);
        }
      }
    }
  }
}
