package dev.tugboat.compat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects a running process's output lines as they arrive, for commands that keep running (-w, -f). */
final class Streams {
  private Streams() {}

  static List<String> collect(InputStream in) {
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String l;
        while ((l = r.readLine()) != null) lines.add(l);
      } catch (IOException e) {
        // the process was stopped: the lines so far are what it printed
      }
    }, "stream-collector");
    t.setDaemon(true);
    t.start();
    return lines;
  }
}
