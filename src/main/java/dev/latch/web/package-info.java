/**
 * Shared web plumbing, and nothing feature-specific: the page layout, error pages and RFC 9457
 * problem JSON, request ids, security headers, CSRF protection, flash messages, client addresses in
 * their short form ({@link dev.latch.web.IpAddresses}) and static assets.
 *
 * <p>Request path: Vert.x filters run first ({@link dev.latch.web.RequestIds} gives every request
 * an id that appears in logs, audit rows and error pages; {@link dev.latch.web.SecurityHeaders}
 * adds CSP, frame-ancestors, nosniff, Referrer-Policy and HSTS over TLS). JAX-RS then matches a
 * resource; {@link dev.latch.web.CsrfProtection} refuses state-changing browser requests that are
 * cross-site or lack the CSRF token. Resources stay thin and render Qute templates (pages, or
 * htmx fragments) or JSON; every failure ends in {@link dev.latch.web.ErrorResponses}, which
 * answers a page for browsers and problem JSON for programs ({@code /api/**}), never a stack
 * trace.
 */
package dev.latch.web;
