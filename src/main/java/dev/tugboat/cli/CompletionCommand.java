package dev.tugboat.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tug completion bash}: the completion script picocli generates from tug's own commands and
 * options ({@code source <(tug completion bash)}); zsh reads the same script after
 * {@code autoload -U bashcompinit && bashcompinit}.
 */
@Command(name = "completion", mixinStandardHelpOptions = true, description = "Print a shell completion script (bash, zsh).")
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "bash or zsh.") String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) throw new CliException("error: unsupported shell \"" + shell + "\": bash or zsh");
    spec.commandLine().getOut().print(AutoComplete.bash("tug", TugCommand.commandLine()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
