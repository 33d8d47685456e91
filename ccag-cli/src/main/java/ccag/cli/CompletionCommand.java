package ccag.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ccagctl completion bash|zsh}: a completion script generated from the command model itself. */
@Command(name = "completion", description = {
    "Print a shell completion script.",
    "bash: source <(ccagctl completion bash)   (or save it under /etc/bash_completion.d/)",
    "zsh:  source <(ccagctl completion zsh)    (in ~/.zshrc; uses zsh's bashcompinit)"})
final class CompletionCommand extends CliCommand {
    /** The shells the generated script supports. */
    enum Shell {
        bash, zsh
    }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    void run() {
        // picocli's script serves both: under zsh it loads bashcompinit first.
        output().result(AutoComplete.bash("ccagctl", spec.root().commandLine()));
    }
}
