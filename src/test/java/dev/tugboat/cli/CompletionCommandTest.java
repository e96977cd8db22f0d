package dev.tugboat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code tug completion bash}: picocli's script, which knows tug's commands and their options. */
class CompletionCommandTest {
  @Test
  void theBashScriptCompletesTugsCommandsAndOptions() throws Exception {
    StringWriter out = new StringWriter();
    int exit = TugCommand.commandLine().setOut(new PrintWriter(out, true)).execute("completion", "bash");
    assertEquals(0, exit);
    String script = out.toString();
    assertTrue(script.contains("complete -F _complete_tug") && script.contains("tug"), script.substring(0, 400));
    for (String command : new String[] {"apply", "create", "edit", "patch", "label", "set", "rollout", "restart", "--selector"}) {
      assertTrue(script.contains(command), command);
    }
    // and bash accepts it
    Process bash = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
    bash.getOutputStream().write(script.getBytes());
    bash.getOutputStream().close();
    String errors = new String(bash.getInputStream().readAllBytes());
    assertEquals(0, bash.waitFor(), errors);
  }

  @Test
  void anotherShellIsRefused() {
    StringWriter err = new StringWriter();
    int exit = TugCommand.commandLine().setErr(new PrintWriter(err, true)).execute("completion", "fish");
    assertEquals(1, exit);
    assertTrue(err.toString().contains("unsupported shell \"fish\""), err.toString());
  }
}
