package dev.latch.identity;

import dev.latch.support.Secrets;
import io.quarkus.oidc.IdToken;
import io.quarkus.oidc.OidcSession;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The upstream step of enrolment: Quarkus OIDC (tenant {@code corp}, which owns {@code /upstream/**})
 * sends the invitee to the company identity provider and back; this resource then checks the ID
 * token against the invitation, records the verified claims on it, and ends the upstream session
 * at once, so signing in upstream never leaves anything that could act as a Latch session. The
 * proof is bound to this browser by a fresh secret in the {@link UpstreamProofCookie}; a value the
 * browser already had is never reused, so nobody can plant one in advance.
 */
@Path("/upstream")
public class UpstreamEnrolmentResource {

    @Inject
    @IdToken
    JsonWebToken idToken;

    @Inject
    OidcSession oidcSession;

    private final Invitations invitations;
    private final UpstreamIdentity upstream;
    private final UpstreamProofCookie proofCookie;
    private final Clock clock;

    public UpstreamEnrolmentResource(Invitations invitations, UpstreamIdentity upstream, UpstreamProofCookie proofCookie,
            Clock clock) {
        this.invitations = invitations;
        this.upstream = upstream;
        this.proofCookie = proofCookie;
        this.clock = clock;
    }

    @GET
    @Path("/enrol/{token}")
    @Authenticated
    public Response verified(@PathParam("token") String token) {
        Invitation invitation = invitations.open(token);
        String browserSecret = Secrets.newSecret();
        try {
            upstream.recordVerifiedIdentity(invitation.id, idToken, browserSecret);
        } finally {
            oidcSession.logout().await().indefinitely();
        }
        return Response.seeOther(URI.create("/enrol/" + token))
                .header(HttpHeaders.SET_COOKIE, proofCookie.issue(browserSecret, clock.instant(), invitation.expiresAt).encode())
                .build();
    }
}
