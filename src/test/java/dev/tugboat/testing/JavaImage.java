package dev.tugboat.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A local image that runs a test's Java program with fabric8 inside a pod, built without a
 * registry: a runtime cut from this JVM's JDK with {@code jlink}, the shared libraries it links
 * (from {@code ldd}), busybox for {@code sh} and {@code cat}, the fabric8 jars of the test classpath
 * under {@code /app/lib} and the program's class under {@code /app/classes}, imported with
 * {@code docker import}. The tag is a digest of what went in, so it is built once (about 30 s
 * here) and reused by later runs until a jar or the program changes.
 */
public final class JavaImage {
  /** What the test classpath contributes: fabric8 and what it needs (Jackson, SnakeYAML, SLF4J). */
  private static final List<String> JARS = List.of("/io/fabric8/", "/tools/jackson/", "/com/fasterxml/jackson/",
      "/org/yaml/", "/org/snakeyaml/", "/org/slf4j/slf4j-api/");
  /** What fabric8 on the JDK's HttpClient uses of the JDK (java.desktop: Jackson reads java.beans annotations). */
  private static final String MODULES = "java.base,java.logging,java.net.http,java.naming,java.management,"
      + "java.xml,java.sql,java.desktop,jdk.crypto.ec,jdk.unsupported";

  private JavaImage() {}

  /** The image's tag, built first when absent; {@code main} is the program's class (in test-classes). */
  public static synchronized String forProgram(Class<?> main) throws Exception {
    List<Path> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String unix = entry.replace(File.separatorChar, '/');
      if (entry.endsWith(".jar") && JARS.stream().anyMatch(unix::contains)) jars.add(Path.of(entry));
    }
    String classFile = main.getName().replace('.', '/') + ".class";
    Path classes = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI());
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update(System.getProperty("java.home").getBytes(StandardCharsets.UTF_8));
    for (Path jar : jars) digest.update(jar.getFileName().toString().getBytes(StandardCharsets.UTF_8));
    digest.update(Files.readAllBytes(classes.resolve(classFile)));
    String tag = "tugboat/java-in-cluster:" + HexFormat.of().formatHex(digest.digest()).substring(0, 12);
    if (run(List.of("docker", "image", "inspect", tag)) == 0) return tag;

    Path root = Files.createTempDirectory("java-image");
    try {
      Path jre = root.resolve("jre");
      Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
      check(run(List.of(jlink.toString(), "--add-modules", MODULES, "--strip-debug", "--no-header-files",
          "--no-man-pages", "--output", jre.toString())), "jlink");
      // the libraries the runtime links, but not those of its graphics (never loaded here)
      Set<String> libraries = new TreeSet<>();
      try (Stream<Path> files = Files.walk(jre)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".so") || p.endsWith(Path.of("bin", "java"))).toList()) {
          if (f.getFileName().toString().matches("lib(awt.*|fontmanager|jawt|lcms|javajpeg|splashscreen|jsound)\\.so")) continue;
          Process ldd = new ProcessBuilder("ldd", f.toString()).redirectErrorStream(true).start();
          for (String line : new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            String[] parts = line.trim().split("\\s+");
            for (String part : parts) if (part.startsWith("/") && !part.startsWith(jre.toString())) libraries.add(part);
          }
          ldd.waitFor(30, TimeUnit.SECONDS);
        }
      }
      for (String library : libraries) copy(Path.of(library), root.resolve(library.substring(1)));
      Path bin = Files.createDirectories(root.resolve("bin"));
      Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
      for (String applet : List.of("sh", "cat", "ls", "sleep")) Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      Path lib = Files.createDirectories(root.resolve("app/lib"));
      for (Path jar : jars) Files.copy(jar, lib.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      Path target = root.resolve("app/classes").resolve(classFile);
      Files.createDirectories(target.getParent());
      Files.copy(classes.resolve(classFile), target);
      Path tmp = Files.createDirectories(root.resolve("tmp"));
      tmp.toFile().setWritable(true, false);
      Files.writeString(Files.createDirectories(root.resolve("etc")).resolve("passwd"), "root:x:0:0:root:/:/bin/sh\n");
      check(run(List.of("sh", "-c", "tar -C '" + root + "' -c . | docker import -c 'ENV PATH=/bin:/jre/bin' - " + tag)),
          "docker import");
      return tag;
    } finally {
      try (Stream<Path> walk = Files.walk(root)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Copies a library as the file it names (symlinks followed), where the loader will look for it. */
  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.copy(from.toRealPath(), to, StandardCopyOption.REPLACE_EXISTING);
  }

  private static int run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  private static void check(int exit, String what) {
    if (exit != 0) throw new IllegalStateException(what + " failed (exit " + exit + ") building the in-cluster Java image");
  }
}
