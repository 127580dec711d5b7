package dev.latch.identity;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * On a start with no users, logs a one-time link that enrols the first administrator (valid 1 h,
 * single use, stored hashed). Replicas starting together agree on one link through an advisory
 * lock; a replica that finds a live link already issued says where to look instead.
 */
@ApplicationScoped
public class BootstrapAdmin {

    private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);
    private static final long LOCK = 0x4c41544342535452L; // "LATCBSTR"

    private final Invitations invitations;
    private final EntityManager em;

    public BootstrapAdmin(Invitations invitations, EntityManager em) {
        this.invitations = invitations;
        this.em = em;
    }

    void onStart(@Observes StartupEvent start) {
        Optional<String> link = QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(?1)) AS locked")
                    .setParameter(1, LOCK).getSingleResult();
            if (User.count() > 0) {
                return Optional.<String>empty();
            }
            if (invitations.openBootstrapExists()) {
                LOG.warn("No users yet, and a first-administrator link was already issued (see the log of the instance "
                        + "that issued it). It stays valid for up to 1 hour; restart after that for a new one.");
                return Optional.<String>empty();
            }
            return Optional.of(invitations.bootstrap().url());
        });
        // The design asks for exactly this: a one-time secret link in the log, valid 1 h, only while no user exists.
        link.ifPresent(url -> LOG.warnf("No users yet. Open this one-time link within 1 hour to enrol the first "
                + "administrator with a security key: %s", url));
    }
}
