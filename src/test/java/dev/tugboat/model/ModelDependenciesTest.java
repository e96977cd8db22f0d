package dev.tugboat.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The model is pure: JDK and Jackson only, so every layer (and every client) can use it. */
class ModelDependenciesTest {
  private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

  @Test
  void theModelImportsOnlyTheJdkJacksonAndItself() throws IOException {
    Path root = Path.of("src/main/java/dev/tugboat/model");
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertTrue(files.size() > 20, "model sources found: " + files.size());
    List<String> foreign = files.stream().flatMap(f -> {
      try {
        return IMPORT.matcher(Files.readString(f)).results().map(m -> f.getFileName() + ": " + m.group(2));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).filter(i -> {
      String name = i.substring(i.indexOf(": ") + 2);
      return !(name.startsWith("java.") || name.startsWith("com.fasterxml.jackson.")
          || name.startsWith("dev.tugboat.model."));
    }).toList();
    assertEquals(List.of(), foreign);
  }
}
