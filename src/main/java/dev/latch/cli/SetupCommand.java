package dev.latch.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code latch setup}: makes kubectl (and with {@code --aws} the AWS CLI) use Latch for everything
 * the person can use now. For each cluster and usable level it creates an issuance
 * ({@code POST /api/v1/kube/issuances}) and merges the contexts into the kubeconfig
 * ({@link KubeconfigWriter}); for each account and usable level it writes a
 * {@code credential_process} profile ({@link AwsConfigWriter}). Running it again gives the same
 * names, so it is safe to repeat after access changes. Summaries go to stderr.
 */
final class SetupCommand {

    private final SignedInPortal portal;
    private final PrintStream err;
    private final Map<String, String> env;

    SetupCommand(SignedInPortal portal, PrintStream err, Map<String, String> env) {
        this.portal = portal;
        this.err = err;
        this.env = env;
    }

    /** {@code use}: the context to make current (null: the first one, and only when there is no current context). */
    int run(boolean kube, List<Path> kubeconfigs, String use, boolean aws, Path awsConfig) {
        // fail before creating issuances nobody will use
        Kubectl kubectl = kube ? Kubectl.onPath(env, "`latch setup` uses it to merge your kubeconfig. Install kubectl, "
                + "or run `latch setup --no-kube` for the AWS part only.") : null;
        PortalClient.Answer access = portal.get("/api/v1/access");
        if (access.status() != 200) {
            throw SignedInPortal.refusal(access);
        }
        List<AccessTarget> targets = AccessTarget.parse(access.body());
        if (kube) {
            setUpKube(plan(targets, use), new KubeconfigWriter(kubectl), kubeconfigs, use);
        }
        if (aws) {
            setUpAws(targets, awsConfig);
        }
        return 0;
    }

    /** One context setup would write: a cluster and a usable level on it. */
    private record Planned(AccessTarget cluster, AccessTarget.Level level, String contextName) {
    }

    /** A cluster with one usable level is {@code <contextName>}; with several, {@code <contextName>-<level>}. */
    private static List<Planned> plan(List<AccessTarget> targets, String use) {
        List<Planned> planned = new ArrayList<>();
        for (AccessTarget cluster : targets) {
            if (!cluster.isCluster()) {
                continue;
            }
            List<AccessTarget.Level> levels = cluster.usableLevels();
            String base = cluster.contextName() != null ? cluster.contextName() : cluster.name();
            for (AccessTarget.Level level : levels) {
                planned.add(new Planned(cluster, level, levels.size() == 1 ? base : base + "-" + level.name()));
            }
        }
        List<String> names = planned.stream().map(Planned::contextName).toList();
        if (use != null && !names.contains(use)) {
            String guess = KubeContexts.closest(use, names).map(name -> " Did you mean " + name + "?").orElse("");
            throw new CliException("`latch setup` would not write a context named " + use + "." + guess
                    + (names.isEmpty() ? " It writes none: you have no cluster to use now." : " It writes " + String.join(", ", names) + "."), 2);
        }
        return planned;
    }

    private void setUpKube(List<Planned> planned, KubeconfigWriter writer, List<Path> kubeconfigs, String use) {
        List<KubeconfigWriter.Entry> entries = new ArrayList<>();
        for (Planned context : planned) {
            AccessTarget cluster = context.cluster();
            Map<String, String> request = new java.util.LinkedHashMap<>();
            request.put("accountId", cluster.accountId());
            request.put("cluster", cluster.name());
            request.put("level", context.level().name());
            PortalClient.Answer issued = portal.call("POST", "/api/v1/kube/issuances", Json.write(request));
            if (issued.status() != 200 && issued.status() != 201) {
                err.println("Skipped " + cluster.name() + " (" + context.level().name() + "): " + SignedInPortal.refusal(issued).getMessage());
                if (context.contextName().equals(use)) {
                    use = null;
                }
                continue;
            }
            entries.add(new KubeconfigWriter.Entry(context.contextName(), issued.string("clusterName"), issued.string("userName"),
                    issued.string("server"), issued.string("certificateAuthorityData"), issued.string("namespace"), portal.portalUrl(),
                    issued.string("issuanceId")));
        }
        if (entries.isEmpty()) {
            err.println("No clusters to add: you have no standing or granted access to a cluster (see `latch ls`).");
            return;
        }
        Path kubeconfig = kubeconfigs.get(0);
        KubeconfigWriter.Merged merged = writer.merge(kubeconfigs, entries, helperCommand(), use);
        StringBuilder names = new StringBuilder();
        for (KubeconfigWriter.Entry entry : entries) {
            names.append(names.length() == 0 ? "" : ", ").append(entry.contextName());
        }
        err.println("Added/updated " + entries.size() + " context" + (entries.size() == 1 ? "" : "s") + " in " + kubeconfig + ": " + names
                + (merged.backedUp() ? " (previous file: " + KubeconfigWriter.backupOf(kubeconfig).getFileName() + ")" : ""));
        String first = entries.get(0).contextName();
        if (!merged.setCurrent()) {
            err.println("Your current context is still " + merged.currentContext() + ". Use Latch's with `kubectl --context " + first
                    + " …`, or switch with `latch use " + first + "`.");
        } else {
            err.println("Current context: " + merged.currentContext() + (use == null ? " (there was none)" : "")
                    + ". Switch with `latch use CONTEXT` or `kubectl config use-context CONTEXT`.");
        }
    }

    private void setUpAws(List<AccessTarget> targets, Path awsConfig) {
        List<AwsConfigWriter.Profile> profiles = new ArrayList<>();
        for (AccessTarget account : targets) {
            if (!account.isAccount()) {
                continue;
            }
            String accountName = account.account() != null ? account.account() : account.name();
            for (AccessTarget.Level level : account.usableLevels()) {
                List<String> settings = new ArrayList<>();
                settings.add("credential_process = " + quoted(helperCommand()) + " aws creds --portal " + portal.portalUrl()
                        + " --account " + account.accountId() + " --level " + level.name());
                if (account.region() != null) {
                    settings.add("region = " + account.region());
                }
                profiles.add(new AwsConfigWriter.Profile("latch-" + AwsConfigWriter.sanitise(accountName) + "-"
                        + AwsConfigWriter.sanitise(level.name()), settings));
            }
        }
        try {
            String existing = Files.exists(awsConfig) ? Files.readString(awsConfig, StandardCharsets.UTF_8) : "";
            List<String> skipped = new ArrayList<>();
            String merged = AwsConfigWriter.merge(existing, portal.portalUrl(), profiles, skipped);
            for (String name : skipped) {
                err.println("Left [" + name + "] in " + awsConfig + " alone: latch did not write it.");
            }
            boolean changed = AwsConfigWriter.write(awsConfig, merged);
            StringBuilder names = new StringBuilder();
            for (AwsConfigWriter.Profile profile : profiles) {
                names.append(names.length() == 0 ? "" : ", ").append(profile.name());
            }
            err.println((changed ? "Wrote " : "Already up to date: ") + profiles.size() + " AWS profile"
                    + (profiles.size() == 1 ? "" : "s") + " in " + awsConfig + (profiles.isEmpty() ? "" : ": " + names));
        } catch (java.io.IOException e) {
            throw new CliException("Could not read " + awsConfig + ": " + e.getMessage());
        }
    }

    /** The command kubectl and the AWS CLI run: $LATCH_COMMAND (an absolute path) if set, else {@code latch}. */
    private String helperCommand() {
        String command = env.get("LATCH_COMMAND");
        return command == null || command.isBlank() ? "latch" : command;
    }

    private static String quoted(String command) {
        return command.indexOf(' ') < 0 ? command : "\"" + command + "\"";
    }
}
