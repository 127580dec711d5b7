package dev.latch.cli;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code latch request}: files an access request ({@code POST /api/v1/requests}), says on stderr
 * who may approve it and where, and prints its id on stdout (or the portal's JSON with
 * {@code --json}). With {@code --wait} it polls {@code GET /api/v1/requests/{id}} until the request
 * is decided: approved exits 0, denied, expired or cancelled exit 4.
 */
final class RequestCommand {

    static final String USAGE = "latch request <account|cluster> --level LEVEL --for DURATION --reason TEXT"
            + " [--ticket URL] [--start RFC3339] [--wait] [--json]";

    private static final Pattern DURATION = Pattern.compile("(?i)\\d+[mhd]|P[0-9A-Z.]+");

    /** What to ask for, checked as far as the helper can without the portal. */
    record Ask(String target, String level, String duration, String reason, String ticketUrl, String startsAt) {

        String json() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("target", target);
            body.put("level", level);
            body.put("duration", duration);
            body.put("reason", reason);
            body.put("ticketUrl", ticketUrl);
            body.put("startsAt", startsAt);
            return Json.write(body);
        }
    }

    private final SignedInPortal portal;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final Map<String, String> env;
    private final boolean json;
    private final boolean wait;

    RequestCommand(SignedInPortal portal, PrintStream out, PrintStream err, Clock clock, Map<String, String> env, boolean json,
            boolean wait) {
        this.portal = portal;
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.env = env;
        this.json = json;
        this.wait = wait;
    }

    /** The request the command line describes; a usage error (exit 2) when something is missing or malformed. */
    static Ask ask(Arguments args) {
        try {
            args.allowOnly("request", 2, "--level", "--for", "--reason", "--ticket", "--start", "--wait", "--json");
        } catch (CliException e) {
            throw usage(e.getMessage().replace(" See `latch help`.", ""));
        }
        List<String> words = args.words();
        if (words.size() < 2 || words.get(1).isBlank()) {
            throw usage("`latch request` needs the account or cluster.");
        }
        String level = required(args, "--level");
        String duration = required(args, "--for").trim();
        if (!DURATION.matcher(duration).matches()) {
            throw usage("--for takes a duration like 30m, 2h, 1d or PT2H, not " + duration + ".");
        }
        String reason = required(args, "--reason").trim();
        String ticket = args.value("--ticket");
        if (ticket != null && !(ticket.startsWith("https://") || ticket.startsWith("http://"))) {
            throw usage("--ticket takes the ticket's http(s) address, not " + ticket + ".");
        }
        String start = args.value("--start");
        if (start != null) {
            try {
                start = OffsetDateTime.parse(start.trim()).toInstant().toString();
            } catch (DateTimeParseException e) {
                throw usage("--start takes an RFC 3339 time like 2026-12-01T09:00:00Z, not " + start + ".");
            }
        }
        return new Ask(words.get(1).trim(), level.trim(), duration, reason, ticket, start);
    }

    private static String required(Arguments args, String name) {
        String value = args.value(name);
        if (value == null || value.isBlank()) {
            throw usage("`latch request` needs " + name + ".");
        }
        return value;
    }

    private static CliException usage(String problem) {
        return new CliException(problem + " Usage: " + USAGE, 2);
    }

    int run(Ask ask) {
        PortalClient.Answer created = portal.call("POST", "/api/v1/requests", ask.json());
        if (created.status() != 201 && created.status() != 200) {
            throw SignedInPortal.refusal(created);
        }
        String id = created.string("id");
        if (id == null || id.isBlank()) {
            throw new CliException("The portal's answer has no request id.");
        }
        out.println(json ? created.text().strip() : id);
        out.flush();
        String level = orElse(created.string("level"), ask.level() + " on " + ask.target());
        String link = created.string("link");
        err.println("Requested " + level + " for " + orElse(created.string("duration"), ask.duration()) + ": waiting for "
                + approvers(created.body().get("approvers")) + (link == null ? "" : " (" + link + ")"));
        if (!wait) {
            if (!"pending".equals(created.string("status"))) {
                return decided(created, ask, level, link); // settled at once, e.g. by a policy that needs no approver
            }
            return 0;
        }
        err.println("Waiting for the decision; Ctrl-C stops waiting, the request stays open.");
        PortalClient.Answer last = new Poller(id, link).until(created);
        if (json) {
            out.println(last.text().strip());
        }
        return decided(last, ask, level, link);
    }

    /** Exit 0 with when it ends for an approved request; a one-line failure (exit 4) for any other end. */
    private int decided(PortalClient.Answer answer, Ask ask, String level, String link) {
        String status = orElse(answer.string("status"), "unknown");
        String see = link == null ? "." : " (" + link + ").";
        switch (status) {
            case "approved" -> {
                AccessTarget target = listed(ask);
                err.println("Approved: " + level + approvedUntil(ask, target));
                err.println(useIt(ask, target));
                return 0;
            }
            case "denied" -> throw new CliException("Denied: " + level + see, 4);
            case "expired" -> throw new CliException("Expired without a decision: " + level + see, 4);
            case "cancelled" -> throw new CliException("Cancelled: " + level + see, 4);
            case "pending" -> {
                return 0;
            }
            default -> throw new CliException("The request is " + status + ": " + level + see, 4);
        }
    }

    /** " until 14:05 UTC" from the live grant in {@code /api/v1/access}, else from --start and --for, else " for 2h". */
    private String approvedUntil(Ask ask, AccessTarget target) {
        Instant now = clock.instant();
        if (target != null) {
            for (AccessTarget.Level l : target.levels()) {
                if (ask.level().equalsIgnoreCase(l.name()) && "granted".equals(l.state()) && l.until() != null) {
                    return " until " + ListCommand.utc(l.until(), now);
                }
            }
        }
        java.time.Duration length = parseDuration(ask.duration());
        if (ask.startsAt() != null && length != null) {
            Instant start = Instant.parse(ask.startsAt());
            return " until " + ListCommand.utc(start.plus(length).toString(), now) + " (from " + ListCommand.utc(start.toString(), now) + ")";
        }
        return " for " + ask.duration();
    }

    /** The cluster or account the request was for, as {@code /api/v1/access} lists it now; null when it cannot be told. */
    private AccessTarget listed(Ask ask) {
        try {
            PortalClient.Answer access = portal.get("/api/v1/access");
            if (access.status() != 200) {
                return null;
            }
            AccessTarget match = null;
            for (AccessTarget target : AccessTarget.parse(access.body())) {
                if (names(target, ask.target()) && target.levels().stream().anyMatch(l -> ask.level().equalsIgnoreCase(l.name()))) {
                    if (match != null) {
                        return null; // the portal resolved the name; the list alone cannot say which one
                    }
                    match = target;
                }
            }
            return match;
        } catch (CliException notListed) {
            return null; // the approval stands; only the details are unknown
        }
    }

    /** Whether the typed target names this cluster (name or context) or account (id or name), as the portal resolves it. */
    private static boolean names(AccessTarget target, String typed) {
        String t = typed.toLowerCase(Locale.ROOT);
        if (target.isCluster()) {
            return t.equals(lower(target.name())) || t.equals(target.contextName());
        }
        return target.isAccount() && (t.equals(target.accountId()) || t.equals(lower(target.name())));
    }

    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    /** How to use the new access: kubectl contexts and AWS profiles come from setup; kubeconfigs also from the dashboard. */
    private String useIt(Ask ask, AccessTarget target) {
        if (target != null && target.isAccount()) {
            return "Run `latch setup --aws` for an AWS CLI profile, or `latch aws console --account " + orElse(target.accountId(), ask.target())
                    + " --level " + ask.level() + "`.";
        }
        if (target != null && target.isCluster()) {
            return "Run `latch setup` for a kubectl context, or download a kubeconfig for " + target.name() + " at " + portal.portalUrl() + "/kube.";
        }
        return "Run `latch setup` (add --aws for an AWS account), or download a kubeconfig at " + portal.portalUrl() + "/kube.";
    }

    static java.time.Duration parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return java.time.Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 'm' -> java.time.Duration.ofMinutes(amount);
                case 'h' -> java.time.Duration.ofHours(amount);
                case 'd' -> java.time.Duration.ofDays(amount);
                default -> null;
            };
        } catch (RuntimeException notADuration) {
            return null;
        }
    }

    private static String approvers(Object approvers) {
        if (approvers instanceof List<?> names && !names.isEmpty()) {
            StringBuilder text = new StringBuilder();
            for (Object name : names) {
                text.append(text.length() == 0 ? "" : ", ").append(name);
            }
            return text.toString();
        }
        return "an approver";
    }

    private static String orElse(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Polls the request until it is no longer pending (or its expiry has passed), every LATCH_POLL_SECONDS (default 5). */
    private final class Poller {

        private final String id;
        private final String link;
        private boolean warned;

        Poller(String id, String link) {
            this.id = id;
            this.link = link;
        }

        PortalClient.Answer until(PortalClient.Answer first) {
            long intervalMillis = intervalMillis(env.get("LATCH_POLL_SECONDS"));
            String path = "/api/v1/requests/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
            Thread onCtrlC = new Thread(() -> err.println("latch: stopped waiting; request " + id + " stays open"
                    + (link == null ? "." : ": " + link)));
            boolean hooked = hook(onCtrlC);
            try {
                PortalClient.Answer answer = first;
                while ("pending".equals(answer.string("status"))) {
                    if (expired(answer)) {
                        return expiredAnswer(answer);
                    }
                    sleep(intervalMillis);
                    answer = poll(path, answer);
                }
                return answer;
            } finally {
                if (hooked) {
                    unhook(onCtrlC);
                }
            }
        }

        /** One poll; a portal that cannot be reached or fails (5xx) is tried again at the next interval. */
        private PortalClient.Answer poll(String path, PortalClient.Answer previous) {
            PortalClient.Answer answer;
            try {
                answer = portal.get(path);
            } catch (CliException e) {
                if (e.exitCode() != 3) {
                    throw e;
                }
                warnOnce(e.getMessage());
                return previous;
            }
            if (answer.status() >= 500) {
                warnOnce(SignedInPortal.refusal(answer).getMessage());
                return previous;
            }
            if (answer.status() != 200) {
                throw SignedInPortal.refusal(answer);
            }
            return answer;
        }

        private void warnOnce(String problem) {
            if (!warned) {
                warned = true;
                err.println("latch: " + problem.replace('\n', ' ') + " Still waiting; trying again.");
            }
        }

        private boolean expired(PortalClient.Answer answer) {
            String expiresAt = answer.string("expiresAt");
            if (expiresAt == null) {
                return false;
            }
            try {
                return !clock.instant().isBefore(OffsetDateTime.parse(expiresAt).toInstant());
            } catch (DateTimeParseException unknown) {
                return false;
            }
        }

        /** The portal's expiry job may not have run yet: an open request past its expiry is expired all the same. */
        private PortalClient.Answer expiredAnswer(PortalClient.Answer answer) {
            Map<String, Object> body = new LinkedHashMap<>(answer.body());
            body.put("status", "expired");
            return new PortalClient.Answer(answer.status(), body, answer.date(), answer.text().replace("\"pending\"", "\"expired\""));
        }

        private void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("Stopped waiting; request " + id + " stays open" + (link == null ? "." : ": " + link), 130);
            }
        }
    }

    static long intervalMillis(String seconds) {
        if (seconds != null) {
            try {
                double value = Double.parseDouble(seconds.trim());
                if (value >= 0 && value <= 3600) {
                    return Math.max(10, (long) (value * 1000));
                }
            } catch (NumberFormatException ignored) {
                // the default
            }
        }
        return 5000;
    }

    private static boolean hook(Thread onCtrlC) {
        try {
            Runtime.getRuntime().addShutdownHook(onCtrlC);
            return true;
        } catch (IllegalStateException | SecurityException shuttingDown) {
            return false;
        }
    }

    private static void unhook(Thread onCtrlC) {
        try {
            Runtime.getRuntime().removeShutdownHook(onCtrlC);
        } catch (IllegalStateException | SecurityException shuttingDown) {
            // the hook is running or has run
        }
    }
}
