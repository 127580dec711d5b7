/**
 * Getting the {@code latch} helper onto a laptop: the portal serves the helper jar that the build
 * made beside it ({@code /download/latch.jar}), an install script ({@code /install.sh}) that
 * downloads the jar, checks its SHA-256 against the value the portal computed, and writes a
 * {@code latch} launcher, and a page with copy-paste instructions ({@code /install}).
 */
package dev.latch.install;
