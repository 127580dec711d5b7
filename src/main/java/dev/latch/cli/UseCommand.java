package dev.latch.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code latch use [CONTEXT]}: lists the kubectl contexts Latch manages, marking the current one
 * (stdout, one per line, {@code *} for the current), or makes one of them current. Only Latch's
 * contexts can be chosen, so a typo never points kubectl at something unexpected. The change is
 * written where kubectl reads it first: the first file of the list ({@link KubeconfigWriter#files}).
 */
final class UseCommand {

    private final Kubectl kubectl;
    private final PrintStream out;
    private final PrintStream err;

    UseCommand(Kubectl kubectl, PrintStream out, PrintStream err) {
        this.kubectl = kubectl;
        this.out = out;
        this.err = err;
    }

    int run(List<Path> files, String wanted) {
        KubeContexts contexts = KubeContexts.read(kubectl, files);
        if (wanted == null) {
            if (contexts.latch().isEmpty()) {
                throw new CliException("No Latch contexts in " + Kubectl.chain(files) + ". Run `latch setup` first.");
            }
            for (String name : contexts.latch()) {
                out.println((name.equals(contexts.current()) ? "* " : "  ") + name);
            }
            return 0;
        }
        if (!contexts.names().contains(wanted)) {
            String guess = KubeContexts.closest(wanted, contexts.latch()).map(name -> " Did you mean " + name + "?").orElse("");
            throw new CliException("No context named " + wanted + " in " + Kubectl.chain(files) + "." + guess
                    + " `latch use` lists Latch's contexts.");
        }
        if (!contexts.latch().contains(wanted)) {
            throw new CliException(wanted + " is not a Latch context (its user does not run latch). Switch to it with "
                    + "`kubectl config use-context " + wanted + "`.");
        }
        KubeconfigWriter.setCurrentContext(kubectl, files.get(0), wanted);
        err.println("Switched to context " + wanted + " (in " + files.get(0) + ").");
        return 0;
    }
}
