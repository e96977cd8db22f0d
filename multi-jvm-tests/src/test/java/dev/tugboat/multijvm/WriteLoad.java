package dev.tugboat.multijvm;

import dev.tugboat.testing.Api;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes under way while members fail: one thread per object, each patching its ConfigMap through
 * one member's API every {@link #PACE} with a number that grows, and remembering every answer. Each
 * object has one writing thread, so what was acknowledged for it is a sequence, and the
 * acknowledged versions are what a failure must not lose. One thread per object, so that a write
 * waiting on an unreachable shard holds up no other object's.
 */
final class WriteLoad implements AutoCloseable {
  static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";
  /** A load generator's rate per object: 40 objects make about 80 writes a second. */
  private static final long PACE = TimeUnit.MILLISECONDS.toNanos(500);

  /** A write the API acknowledged: the object, its number, the resourceVersion it answered, when it was sent and answered. */
  record Ack(String object, long seq, String resourceVersion, String member, long sent, long nanos) {}

  /** A write that was refused or got no answer (code -1), with the Status reason if any. */
  record Refusal(String object, String member, int code, String body, long nanos) {}

  private final Map<Member, List<String>> objects;
  private final List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
  private final List<Refusal> refusals = Collections.synchronizedList(new ArrayList<>());
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopped;

  /** {@code objects}: the ConfigMaps (created already) written through each member. */
  WriteLoad(Map<Member, List<String>> objects) {
    this.objects = objects;
  }

  WriteLoad start() {
    objects.forEach((member, names) -> names.forEach(name -> {
      Thread t = new Thread(() -> write(member, name), "writes-" + name + "-" + member.name());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }));
    return this;
  }

  private void write(Member member, String name) {
    long seq = 0;
    while (!stopped) {
      long began = System.nanoTime();
      seq++;
      try {
        Api.Reply r = member.api().patch(CONFIGMAPS + "/" + name, "{\"data\":{\"seq\":\"" + seq + "\"}}",
            "application/merge-patch+json");
        if (r.code() == 200) {
          acks.add(new Ack(name, seq, r.json().path("metadata").path("resourceVersion").asText(), member.name(), began,
              System.nanoTime()));
        } else {
          refusals.add(new Refusal(name, member.name(), r.code(), r.body(), System.nanoTime()));
        }
      } catch (UncheckedIOException | IllegalStateException noAnswer) {
        refusals.add(new Refusal(name, member.name(), -1, String.valueOf(noAnswer.getMessage()), System.nanoTime()));
      }
      LockSupport.parkNanos(PACE - (System.nanoTime() - began));
    }
  }

  List<Ack> acks() {
    synchronized (acks) {
      return List.copyOf(acks);
    }
  }

  List<Refusal> refusals() {
    synchronized (refusals) {
      return List.copyOf(refusals);
    }
  }

  /** Acknowledgements from {@code member}'s API after {@code nanos}. */
  long acksFrom(Member member, long nanos) {
    return acks().stream().filter(a -> a.member().equals(member.name()) && a.nanos() - nanos > 0).count();
  }

  @Override
  public void close() {
    stopped = true;
    for (Thread t : threads) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(40)); // one request's timeout at most
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
