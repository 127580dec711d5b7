package dev.latch.audit;

import dev.latch.identity.AdminOnly;
import dev.latch.identity.CurrentSession;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Verifies the audit chain on demand, for administrators and monitoring: every row follows the
 * previous one's hash. The check itself is audited, so the record shows who checked when.
 */
@Path("/api/v1/admin/audit")
@AdminOnly
public class AuditAdminApi {

    private final AuditVerifier verifier;
    private final AuditLog audit;
    private final CurrentSession current;

    public AuditAdminApi(AuditVerifier verifier, AuditLog audit, CurrentSession current) {
        this.verifier = verifier;
        this.audit = audit;
        this.current = current;
    }

    public record Verification(boolean intact, long rowsChecked, Long brokenSeq, String problem) {
    }

    @GET
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Verify the audit log's hash chain")
    public Verification verify() {
        AuditVerifier.Result result = verifier.verify();
        audit.record(AuditEntry.of("audit.verified").byUser(current.user().id.toString(), current.user().username)
                .outcome(result.intact() ? AuditEntry.Outcome.SUCCESS : AuditEntry.Outcome.FAILURE)
                .detail("rows", result.rowsChecked()).detail("broken_seq", result.brokenSeq()));
        return new Verification(result.intact(), result.rowsChecked(), result.brokenSeq(), result.problem());
    }
}
