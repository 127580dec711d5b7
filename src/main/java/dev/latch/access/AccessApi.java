package dev.latch.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.latch.identity.User;
import dev.latch.inventory.MyAccess;
import dev.latch.oauth.ApiAccess;
import dev.latch.oauth.ApiCaller;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** "My access" for the helper (with live grants): {@code latch ls} and {@code latch setup}. */
@Path("/api/v1/access")
@ApiAccess
public class AccessApi {

    private final MyAccess myAccess;
    private final Grants grants;
    private final ApiCaller caller;
    private final java.time.Clock clock;

    public AccessApi(MyAccess myAccess, Grants grants, ApiCaller caller, java.time.Clock clock) {
        this.clock = clock;
        this.myAccess = myAccess;
        this.grants = grants;
        this.caller = caller;
    }

    /**
     * {@code state}: standing, requestable, or granted (an active grant, until {@code until}).
     * {@code ended}: how the person's last grant on the level ended, when that was within the last
     * day and no grant is active now ("revoked by bob at 14:02 UTC: incident over"); else absent.
     */
    public record Level(String name, String state, String until, @JsonInclude(JsonInclude.Include.NON_NULL) String ended) {
    }

    public record Target(String kind, String name, String account, String accountId, String environment, String region,
            String contextName, List<Level> levels) {
    }

    public record Answer(List<Target> targets) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's accounts and clusters, with levels and states")
    public Answer access() {
        return QuarkusTransaction.joiningExisting().call(() -> {
            User user = User.findById(caller.require().userId());
            java.util.Map<java.util.UUID, AccessGrant> granted = new java.util.HashMap<>();
            java.time.Instant now = clock.instant();
            grants.live(user.id).stream().filter(g -> g.isActive(now)).forEach(g -> granted.put(g.level.id, g));
            java.util.Map<java.util.UUID, String> ended = new java.util.HashMap<>();
            grants.recentlyEnded(user.id).forEach(g -> ended.putIfAbsent(g.level.id, GrantEnding.of(g, now, u -> u.username).describe(now)));
            List<Target> targets = new ArrayList<>();
            for (MyAccess.Environment environment : myAccess.of(user, null, null)) {
                for (MyAccess.Target t : environment.targets()) {
                    targets.add(new Target(t.kind(), t.name(), t.accountName(), t.accountId(), environment.name(), t.region(),
                            t.contextName(), t.levels().stream().map(l -> granted.containsKey(l.id())
                                    ? new Level(l.name(), "granted", granted.get(l.id()).endsAt.toString(), null)
                                    : new Level(l.name(), l.state(), null, ended.get(l.id()))).toList()));
                }
            }
            return new Answer(targets);
        });
    }
}
