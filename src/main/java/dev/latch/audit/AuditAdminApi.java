package dev.latch.audit;

import dev.latch.identity.AdminOnly;
import dev.latch.identity.CurrentSession;
import dev.latch.web.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Verifies the audit chain on demand, for administrators and monitoring: every row follows the
 * previous one's hash, and the chain still reaches the head of the newest signed checkpoint (or
 * of one posted from outside the database). The check itself is audited, so the record shows who
 * checked when.
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

    /** The answer; {@code checkpointSeq} and {@code checkpointAt} name the signed head the chain was held against. */
    public record Verification(boolean intact, long rowsChecked, Long brokenSeq, String problem, Long checkpointSeq,
            Instant checkpointAt) {
    }

    /** A checkpoint an operator kept outside the database (the JWS from a log line), to verify against instead. */
    public record CheckpointCopy(String checkpoint) {
    }

    @GET
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Verify the audit log's hash chain against its newest signed checkpoint")
    public Verification verify() {
        return verified(Optional.empty());
    }

    @POST
    @Path("/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Verify the audit log's hash chain against a signed checkpoint kept outside the database")
    public Verification verifyAgainst(CheckpointCopy copy) {
        if (copy == null || copy.checkpoint() == null || copy.checkpoint().isBlank()) {
            throw ProblemException.badRequest("checkpoint-missing", "Send {\"checkpoint\": \"<the JWS of a checkpoint log line>\"}.");
        }
        return verified(Optional.of(copy.checkpoint().trim()));
    }

    private Verification verified(Optional<String> checkpoint) {
        AuditVerifier.Result result = verifier.verify(checkpoint);
        audit.record(AuditEntry.of("audit.verified").byUser(current.user().id.toString(), current.user().username)
                .outcome(result.intact() ? AuditEntry.Outcome.SUCCESS : AuditEntry.Outcome.FAILURE)
                .detail("rows", result.rowsChecked()).detail("broken_seq", result.brokenSeq())
                .detail("checkpoint_seq", result.checkpointSeq()).detail("external_checkpoint", checkpoint.isPresent()));
        return new Verification(result.intact(), result.rowsChecked(), result.brokenSeq(), result.problem(), result.checkpointSeq(),
                result.checkpointAt());
    }
}
