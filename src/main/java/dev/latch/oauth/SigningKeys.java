package dev.latch.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The portal's ES256 signing keys: created and rotated in the database (once across replicas,
 * under an advisory lock), private halves decrypted only in memory. Tokens are signed with the
 * newest key; the JWKS publishes it and every retired key whose tokens may still be valid.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    private static final long LOCK = 0x4c415443484b4559L; // "LATCHKEY"
    private static final Duration CACHE = Duration.ofSeconds(30);

    private final OAuthConfig config;
    private final KeyEncryption encryption;
    private final EntityManager em;
    private final Clock clock;
    private volatile Loaded loaded;

    public SigningKeys(OAuthConfig config, KeyEncryption encryption, EntityManager em, Clock clock) {
        this.config = config;
        this.encryption = encryption;
        this.em = em;
        this.clock = clock;
    }

    /** The keys in memory: the one to sign with and every published public key, by kid. */
    private record Loaded(ECKey signing, Map<String, ECKey> published, Instant at) {
    }

    void onStart(@Observes StartupEvent start) {
        rotateIfDue();
    }

    /** The private key new tokens are signed with. */
    public ECKey signingKey() {
        return keys().signing();
    }

    /** A published public key by kid; unknown kids trigger one reload (another replica may have rotated). */
    public Optional<ECKey> verificationKey(String kid) {
        Loaded current = keys();
        ECKey key = current.published().get(kid);
        if (key == null && Duration.between(current.at(), clock.instant()).compareTo(Duration.ofSeconds(5)) > 0) {
            key = reload().published().get(kid);
        }
        return Optional.ofNullable(key);
    }

    /** The public JWK set served at {@code /oauth/jwks}. */
    public JWKSet jwks() {
        return new JWKSet(keys().published().values().stream().map(k -> (com.nimbusds.jose.jwk.JWK) k).toList());
    }

    /** Creates a key when there is none or the newest is older than the rotation period. */
    @Scheduled(every = "1h", delay = 5, delayUnit = java.util.concurrent.TimeUnit.MINUTES,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rotateIfDue() {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("SELECT count(*) FROM (SELECT pg_advisory_xact_lock(?1)) AS locked")
                    .setParameter(1, LOCK).getSingleResult();
            Instant now = clock.instant();
            List<SigningKey> active = SigningKey.list("retiredAt is null order by createdAt desc");
            if (!active.isEmpty() && active.get(0).createdAt.plus(config.signingKeyRotation()).isAfter(now)) {
                return;
            }
            SigningKey created = create(now);
            for (SigningKey old : active) {
                old.retiredAt = now;
                // tokens signed just before retirement stay verifiable for their whole life, with margin
                old.publishUntil = now.plus(config.accessTokenLifetime()).plus(Duration.ofHours(1));
            }
            LOG.infof("Created signing key %s%s", created.kid, active.isEmpty() ? "" : " and retired " + active.size() + " older key(s)");
        });
        loaded = null;
    }

    private SigningKey create(Instant now) {
        try {
            String kid = now.toString().substring(0, 10) + "-" + UUID.randomUUID().toString().substring(0, 8);
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE).generate();
            KeyEncryption.Sealed sealed = encryption.seal(key.toJSONString().getBytes(StandardCharsets.UTF_8), kid);
            SigningKey row = new SigningKey();
            row.kid = kid;
            row.algorithm = "ES256";
            row.publicJwk = key.toPublicJWK().toJSONString();
            row.privateKeyEnc = sealed.ciphertext();
            row.kekId = sealed.kekId();
            row.createdAt = now;
            row.persist();
            return row;
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }

    private Loaded keys() {
        Loaded current = loaded;
        if (current == null || Duration.between(current.at(), clock.instant()).compareTo(CACHE) > 0) {
            current = reload();
        }
        return current;
    }

    private synchronized Loaded reload() {
        Instant now = clock.instant();
        Loaded fresh = QuarkusTransaction.requiringNew().call(() -> {
            List<SigningKey> rows = SigningKey.list("retiredAt is null or publishUntil > ?1 order by createdAt desc", now);
            if (rows.isEmpty() || rows.get(0).retiredAt != null) {
                throw new IllegalStateException("no active signing key; it is created at start");
            }
            SigningKey newest = rows.get(0);
            ECKey signing = parse(new String(encryption.open(newest.privateKeyEnc, newest.kekId, newest.kid), StandardCharsets.UTF_8));
            Map<String, ECKey> published = rows.stream().collect(Collectors.toMap(r -> r.kid, r -> parse(r.publicJwk),
                    (a, b) -> a, java.util.LinkedHashMap::new));
            return new Loaded(signing, published, now);
        });
        loaded = fresh;
        return fresh;
    }

    private static ECKey parse(String json) {
        try {
            return ECKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("a stored signing key is not a valid EC JWK", e);
        }
    }
}
