package dev.latch.broker;

import dev.latch.identity.User;
import dev.latch.inventory.AccessLevel;
import dev.latch.inventory.LevelAccess;
import dev.latch.oauth.ApiAccess;
import dev.latch.oauth.ApiCaller;
import dev.latch.web.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The helper's AWS API: {@code latch aws creds} (credential_process) and {@code latch aws console}.
 * Production levels need a key touch on the helper's login ({@link TerminalProduction}).
 */
@Path("/api/v1/aws")
@ApiAccess
public class AwsApi {

    private final AwsAccess aws;
    private final LevelAccess levels;
    private final ApiCaller caller;

    public AwsApi(AwsAccess aws, LevelAccess levels, ApiCaller caller) {
        this.aws = aws;
        this.levels = levels;
        this.caller = caller;
    }

    @GET
    @Path("/credentials")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Role session credentials in credential_process form (Version 1)")
    public AwsAccess.ProcessCredentials credentials(@QueryParam("account") String account, @QueryParam("level") String level) {
        User user = user();
        AccessLevel found = level(user, "aws.credentials", account, level);
        return QuarkusTransaction.joiningExisting().call(() -> aws.credentials(user, found, caller.require().familyId()));
    }

    @GET
    @Path("/console")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "An AWS console sign-in link (valid 15 minutes)")
    public AwsAccess.ConsoleLink console(@QueryParam("account") String account, @QueryParam("level") String level) {
        User user = user();
        AccessLevel found = level(user, "aws.console", account, level);
        return QuarkusTransaction.joiningExisting().call(() -> aws.console(user, found, caller.require().familyId()));
    }

    private User user() {
        return QuarkusTransaction.joiningExisting().call(() -> User.<User>findById(caller.require().userId()));
    }

    /** The account's level, or a 404 that is on the record (who asked for what). */
    private AccessLevel level(User user, String action, String account, String level) {
        return QuarkusTransaction.joiningExisting().call(() -> levels.accountLevel(account, level)).orElseThrow(() -> {
            ProblemException missing = new ProblemException(404, "level-not-found", "No such level",
                    "No level " + level + " on account " + account + ". Run `latch ls` to see what you may use.");
            aws.refused(user, action, null, account, level, missing);
            return missing;
        });
    }
}
