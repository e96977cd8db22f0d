package dev.tugboat.node;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a volume's files so that a running container sees them change all at once, as the
 * kubelet's AtomicWriter: the files live in a timestamped directory ({@code ..2026_12_03_17_00_00.123}),
 * {@code ..data} is a symlink to it, and each visible entry is a symlink through {@code ..data}. An
 * update writes a new directory, points a new symlink at it and renames that over {@code ..data}
 * (one atomic rename), then removes the old directory. The volume's directory is what is mounted,
 * so a reader inside the container sees either the old set or the new one, never a mix.
 */
final class AtomicWriter {
  static final String DATA = "..data";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.SSSSSSSSS");

  private AtomicWriter() {}

  /**
   * Makes {@code dir} hold exactly {@code files} (relative paths); nothing is written when it
   * already does. Returns true when it changed.
   */
  static boolean write(Path dir, Map<String, ConfigSources.File> files) throws IOException {
    Files.createDirectories(dir);
    Path data = dir.resolve(DATA);
    Path current = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
    if (current != null && same(current, files)) return false;

    Path next = dir.resolve(".." + LocalDateTime.now().format(STAMP));
    Files.createDirectories(next);
    for (Map.Entry<String, ConfigSources.File> f : files.entrySet()) {
      Path file = next.resolve(f.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, f.getValue().content());
      Files.setPosixFilePermissions(file, permissions(f.getValue().mode()));
    }
    next.toFile().setReadable(true, false);
    next.toFile().setExecutable(true, false);
    Path tmp = dir.resolve(DATA + "_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, next.getFileName());
    Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

    // The visible names: one symlink per top-level entry, through ..data; stale ones go.
    Set<String> top = new HashSet<>();
    for (String path : files.keySet()) top.add(path.split("/", 2)[0]);
    for (String name : top) {
      Path link = dir.resolve(name);
      if (!Files.isSymbolicLink(link)) Files.createSymbolicLink(link, Path.of(DATA, name));
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith("..")) {
          if (!name.equals(DATA) && !entry.equals(next) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) delete(entry);
        } else if (!top.contains(name)) {
          Files.delete(entry);
        }
      }
    }
    return true;
  }

  private static boolean same(Path current, Map<String, ConfigSources.File> files) throws IOException {
    if (!Files.isDirectory(current)) return false;
    try (Stream<Path> walk = Files.walk(current)) {
      if (walk.filter(Files::isRegularFile).count() != files.size()) return false;
    }
    for (Map.Entry<String, ConfigSources.File> f : files.entrySet()) {
      Path file = current.resolve(f.getKey());
      if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), f.getValue().content())
          || !Files.getPosixFilePermissions(file).equals(permissions(f.getValue().mode()))) {
        return false;
      }
    }
    return true;
  }

  /** Removes a directory and what it holds. */
  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = new HashSet<>();
    PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ};
    for (int i = 0; i < bits.length; i++) if ((mode & (1 << i)) != 0) set.add(bits[i]);
    return set;
  }
}
