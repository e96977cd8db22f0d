package dev.tugboat.apiserver;

import dev.tugboat.model.Status;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How much one API member serves at once, as kube-apiserver's {@code --max-requests-inflight} and
 * {@code --max-mutating-requests-inflight}: a request beyond the limit is answered at once with 429
 * and {@code Retry-After} (clients such as client-go and fabric8 wait and retry), rather than queued
 * until it times out. Long-running requests (watches, followed logs) are not counted there; each
 * client (its address and User-Agent) may hold a bounded number of watches instead.
 */
final class RequestLimits {
  private final Semaphore readOnly;
  private final Semaphore mutating;
  private final int watchesPerClient;
  /** Open watches per client; a client without any has no entry, so many clients that come and go leave nothing. */
  private final ConcurrentHashMap<String, Integer> watches = new ConcurrentHashMap<>();

  RequestLimits(int readOnly, int mutating, int watchesPerClient) {
    this.readOnly = new Semaphore(readOnly);
    this.mutating = new Semaphore(mutating);
    this.watchesPerClient = watchesPerClient;
  }

  /** A permit to serve one request (its release), or empty: too many in flight. */
  Optional<Runnable> admit(boolean mutatingRequest) {
    Semaphore pool = mutatingRequest ? mutating : readOnly;
    if (!pool.tryAcquire()) return Optional.empty();
    return Optional.of(once(pool::release));
  }

  /** A slot for one more watch of {@code client} (its release), or empty: it holds its limit already. */
  Optional<Runnable> admitWatch(String client) {
    boolean[] admitted = {false};
    watches.compute(client, (c, open) -> {
      int n = open == null ? 0 : open;
      if (n >= watchesPerClient) return open;
      admitted[0] = true;
      return n + 1;
    });
    if (!admitted[0]) return Optional.empty();
    return Optional.of(once(() -> watches.computeIfPresent(client, (c, open) -> open <= 1 ? null : open - 1)));
  }

  /** Open watches of one client. */
  int watchesOf(String client) {
    return watches.getOrDefault(client, 0);
  }

  /** A 429 as kube-apiserver words it; clients wait {@code Retry-After} seconds and try again. */
  static Status tooManyRequests(String why) {
    return Status.failure(429, "TooManyRequests", why, new Status.Details(null, null, null, null, null, 1));
  }

  private static Runnable once(Runnable release) {
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) release.run();
    };
  }
}
