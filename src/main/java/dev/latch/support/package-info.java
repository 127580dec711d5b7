/**
 * Small shared pieces with no feature of their own: the one {@link java.time.Clock} every
 * feature reads time from (tests pin it), random secrets and their hashes.
 */
package dev.latch.support;
