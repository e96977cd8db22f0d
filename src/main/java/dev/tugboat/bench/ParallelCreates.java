package dev.tugboat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Objects created through the API by a fixed number of clients, each sending its next create as
 * soon as the last is answered (a closed loop: how fast the server takes writes, not a latency at a
 * given rate). Each request's time goes into a series of the report; any answer but 201 fails the run.
 */
final class ParallelCreates {
  /** One create: the collection's path and the object. */
  record Create(String path, String json) {}

  private ParallelCreates() {}

  static void run(HttpApi api, int clients, int count, IntFunction<Create> create, Report.Builder report,
      String series) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Create c = create.apply(i);
        sent.add(pool.submit(() -> {
          long t = System.nanoTime();
          HttpApi.Reply r = api.post(c.path(), c.json());
          report.sample(series, Millis.since(t));
          if (r.code() != 201) throw new IllegalStateException("POST " + c.path() + ": " + r.code() + " " + r.body());
          return null;
        }));
      }
      for (Future<?> f : sent) f.get();
    } finally {
      pool.shutdownNow();
    }
  }
}
