/**
 * The {@code latch} helper: a small command-line program that signs a terminal in to the portal
 * with the device flow and serves kubectl ({@code kube token}) and the AWS CLI ({@code aws creds})
 * from that sign-in; {@code setup} writes their configuration and {@code use} switches between
 * Latch's kubectl contexts. Kubeconfigs are read and written through the person's own kubectl
 * ({@link dev.latch.cli.Kubectl}), never a YAML library, so they read back as kubectl reads them.
 *
 * <p>It uses the JDK only: no framework and no library, so it starts in tens of milliseconds
 * (see bench/helper). {@link dev.latch.cli.Main} only calls {@link dev.latch.cli.Latch#run}; each
 * command is a small class that takes its collaborators (the portal client on the JDK's
 * {@code HttpClient}, the state store, the clock) through its constructor. Standard output is
 * kept for payloads; messages go to standard error; every failure is one line and a non-zero
 * exit code, never a stack trace.
 *
 * <p>State lives under {@code $XDG_CONFIG_HOME/latch} (default {@code ~/.config/latch}): a
 * {@code config} file naming the default portal, and one {@code session-<host>.properties} per
 * portal holding the refresh token, the current access token and the DPoP private key. Files are
 * 0600 in a 0700 directory, and the helper refuses to use a file others can read. The DPoP key
 * never leaves the machine, so a copied state file is useless elsewhere only if the key is copied
 * too; the portal refuses any token presented without a proof from that key.
 *
 * <p>Credentials for kubectl and the AWS CLI are cached in {@code cache/} until shortly before
 * they expire. Parallel helpers coordinate through lock files in {@code locks/} ({@link
 * dev.latch.cli.FileLocks}): one per credential (one portal call per burst) and one per portal
 * session (the rotating refresh token is spent once). When the sign-in has ended, helpers run by
 * GUI tools share one device login and one browser window ({@link dev.latch.cli.SharedDeviceLogin});
 * likewise, when the portal asks for a key touch before production use, every helper shares one
 * confirmation page ({@link dev.latch.cli.TouchConfirmation}).
 *
 * <p>This package must not depend on any other part of Latch (an ArchUnit test checks it): it is
 * shipped on its own as {@code latch.jar}.
 */
package dev.latch.cli;
