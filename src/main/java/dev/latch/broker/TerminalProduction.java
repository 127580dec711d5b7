package dev.latch.broker;

import dev.latch.access.AccessGrant;
import dev.latch.identity.User;
import dev.latch.inventory.AwsAccount;
import dev.latch.oauth.TerminalTouches;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.UUID;

/**
 * The one rule for production from the terminal (kube tokens, AWS credentials, console links):
 * a key touch recorded on the helper's login after the grant started, or for standing access
 * within {@code latch.broker.standing-production-touch} (12 h). Production is an account whose
 * environment is one of {@code latch.broker.step-up-environments}, the same rule the browser
 * uses for its step-up.
 */
@ApplicationScoped
public class TerminalProduction {

    private final BrokerConfig config;
    private final TerminalTouches touches;
    private final Clock clock;

    public TerminalProduction(BrokerConfig config, TerminalTouches touches, Clock clock) {
        this.config = config;
        this.touches = touches;
        this.clock = clock;
    }

    /** Throws {@code 403 touch-required} when the login lacks the touch; nothing for other environments. */
    public void check(UUID familyId, User user, AwsAccount account, AccessGrant grant, String what) {
        if (!config.needsStepUp(account.environment)) {
            return;
        }
        if (grant != null) {
            touches.require(familyId, user, grant.startsAt, what, "made after your grant started");
        } else {
            touches.require(familyId, user, clock.instant().minus(config.standingProductionTouch()), what,
                    "within the last " + config.standingProductionTouch().toHours() + " hours");
        }
    }
}
