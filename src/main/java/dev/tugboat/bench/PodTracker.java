package dev.tugboat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a pod watch has shown, per pod name: when the pod was first seen bound to a node, Running, and
 * Ready (nanoTime of the event that showed it), and whether it is gone. Waiters block on a monitor
 * that every event signals, with a deadline; no polling.
 */
public final class PodTracker implements Watch.Listener {
  /** One pod's milestones; -1 while not seen. */
  public static final class Pod {
    public final String name;
    public volatile String node = "";
    public volatile long boundNanos = -1;
    public volatile long runningNanos = -1;
    public volatile long readyNanos = -1;
    public volatile boolean running;
    public volatile boolean ready;
    public volatile boolean deleted;

    Pod(String name) {
      this.name = name;
    }
  }

  private final Map<String, Pod> pods = new HashMap<>();
  // Kept as events arrive, so that waiting on thousands of pods costs nothing per event.
  private final java.util.List<Long> boundTimes = new java.util.ArrayList<>();
  private final java.util.List<Long> runningTimes = new java.util.ArrayList<>();
  private int readyCount;
  private final java.util.List<Long> addedTimes = new java.util.ArrayList<>();

  @Override
  public synchronized void onEvent(String type, JsonNode object, long receivedNanos) {
    String name = object.path("metadata").path("namespace").asText("") + "/" + object.path("metadata").path("name").asText();
    Pod pod = pods.computeIfAbsent(name, n -> {
      addedTimes.add(receivedNanos);
      return new Pod(n);
    });
    if (type.equals("DELETED")) {
      pod.deleted = true;
      notifyAll();
      return;
    }
    pod.deleted = false;
    String node = object.path("spec").path("nodeName").asText("");
    if (!node.isEmpty()) {
      if (pod.boundNanos < 0) {
        pod.boundNanos = receivedNanos;
        boundTimes.add(receivedNanos);
      }
      pod.node = node;
    }
    pod.running = "Running".equals(object.path("status").path("phase").asText());
    if (pod.running && pod.runningNanos < 0) {
      pod.runningNanos = receivedNanos;
      runningTimes.add(receivedNanos);
    }
    boolean ready = false;
    for (JsonNode c : object.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) ready = true;
    }
    pod.ready = ready && pod.running;
    if (pod.ready && pod.readyNanos < 0) {
      pod.readyNanos = receivedNanos;
      readyCount++;
    }
    notifyAll();
  }

  /** Pods ever seen bound, Running, Ready (each counted once, at its first time). */
  public synchronized int everBound() {
    return boundTimes.size();
  }

  public synchronized int everRunning() {
    return runningTimes.size();
  }

  public synchronized int everReady() {
    return readyCount;
  }

  /** When each pod was first seen bound, in the order seen (nanoTime). */
  public synchronized java.util.List<Long> boundTimes() {
    return java.util.List.copyOf(boundTimes);
  }

  /** When each pod was first seen at all, in the order seen (nanoTime). */
  public synchronized java.util.List<Long> addedTimes() {
    return java.util.List.copyOf(addedTimes);
  }

  public synchronized java.util.List<Long> runningTimes() {
    return java.util.List.copyOf(runningTimes);
  }

  public synchronized Pod get(String namespace, String name) {
    return pods.get(namespace + "/" + name);
  }

  /** Forgets every pod (between repetitions that reuse names). */
  public synchronized void forget(String namespace, String name) {
    pods.remove(namespace + "/" + name);
  }

  public synchronized long count(Predicate<Pod> predicate) {
    return pods.values().stream().filter(predicate).count();
  }

  public synchronized java.util.List<Pod> snapshot() {
    return java.util.List.copyOf(pods.values());
  }

  /** Waits until {@code condition} holds over the pods seen; throws {@link Wait.TimeoutException} after the timeout. */
  public synchronized void await(String what, Duration timeout, Predicate<PodTracker> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.test(this)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) throw new Wait.TimeoutException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      try {
        // A bounded wait: the monitor is signalled on every event; the bound only re-checks the deadline.
        wait(Math.max(1, Math.min(left / 1_000_000, 1000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
  }
}
