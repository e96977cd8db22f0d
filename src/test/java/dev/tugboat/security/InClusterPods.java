package dev.tugboat.security;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The program {@code PodSecurityIT} runs inside a pod (its member's worker runs real containers):
 * fabric8 with no configuration at all, so its in-cluster configuration (the mounted token, {@code ca.crt} and {@code namespace}, and
 * {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}). Once a second it lists the pods of its namespace
 * and prints {@code pods <count>}, or {@code HTTP <code>} when the API refuses, so the test reads
 * from the pod's log what its account may do, as RoleBindings change.
 */
public final class InClusterPods {
  private InClusterPods() {}

  public static void main(String[] args) throws InterruptedException {
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      System.out.println("master " + client.getConfiguration().getMasterUrl()
          + " namespace " + client.getConfiguration().getNamespace());
      while (true) {
        try {
          System.out.println("pods " + client.pods().list().getItems().size());
        } catch (KubernetesClientException e) {
          System.out.println("HTTP " + e.getCode());
        }
        System.out.flush();
        Thread.sleep(1000); // the pace of the log the test reads, not a synchronisation
      }
    }
  }
}
