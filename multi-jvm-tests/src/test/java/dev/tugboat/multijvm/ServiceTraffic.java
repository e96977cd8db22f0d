package dev.tugboat.multijvm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady client of a Service: one HTTP/1.0 GET every 20 ms on a new TCP connection (so each
 * request is routed by the proxy afresh), counting what succeeded (the body holds the expected
 * text) and what failed (refused, reset, timed out, wrong answer), with the time of each failure.
 */
final class ServiceTraffic implements AutoCloseable {
  private record Outcome(long nanos, boolean ok) {}

  private final String host;
  private final int port;
  private final String expected;
  private final List<Outcome> outcomes = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  ServiceTraffic(String host, int port, String expected) {
    this.host = host;
    this.port = port;
    this.expected = expected;
    this.thread = new Thread(this::run, "service-traffic");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      boolean ok = request();
      synchronized (outcomes) {
        outcomes.add(new Outcome(System.nanoTime(), ok));
      }
      LockSupport.parkNanos(20_000_000);
    }
  }

  private boolean request() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return response.startsWith("HTTP/1.") && response.contains(" 200 ") && response.contains(expected);
    } catch (IOException failed) {
      return false;
    }
  }

  /** What happened from request number {@code from} on. */
  record Summary(int sent, int failed, double failureWindowMillis) {}

  int sent() {
    synchronized (outcomes) {
      return outcomes.size();
    }
  }

  Summary since(int from) {
    synchronized (outcomes) {
      List<Outcome> these = outcomes.subList(from, outcomes.size());
      List<Outcome> failed = these.stream().filter(o -> !o.ok()).toList();
      double window = failed.isEmpty() ? 0 : (failed.get(failed.size() - 1).nanos() - failed.get(0).nanos()) / 1e6;
      return new Summary(these.size(), failed.size(), window);
    }
  }

  /** Whether the last {@code n} requests all succeeded. */
  boolean lastSucceeded(int n) {
    synchronized (outcomes) {
      return outcomes.size() >= n && outcomes.subList(outcomes.size() - n, outcomes.size()).stream().allMatch(Outcome::ok);
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
