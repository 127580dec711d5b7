package dev.latch.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import dev.latch.audit.CheckpointSigner;
import jakarta.enterprise.context.ApplicationScoped;
import java.text.ParseException;
import java.util.Optional;

/**
 * Signs audit checkpoints with the portal's current signing key, so anyone holding the JWKS can
 * check one. Verification also accepts keys retired from the JWKS (their public halves stay in
 * the database), because a checkpoint outlives the tokens its key signed.
 */
@ApplicationScoped
public class AuditCheckpointSigning implements CheckpointSigner {

    static final JOSEObjectType TYPE = new JOSEObjectType("latch-audit-checkpoint");

    private final SigningKeys keys;

    public AuditCheckpointSigning(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public Signed sign(String payloadJson) {
        ECKey key = keys.signingKey();
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(TYPE).build(),
                    new Payload(payloadJson));
            jws.sign(new ECDSASigner(key));
            return new Signed(key.getKeyID(), jws.serialize());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an audit checkpoint", e);
        }
    }

    @Override
    public Optional<String> verify(String compact) {
        try {
            JWSObject jws = JWSObject.parse(compact);
            // the type keeps an access token (same key, same algorithm) from passing as a checkpoint
            if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm()) || !TYPE.equals(jws.getHeader().getType())) {
                return Optional.empty();
            }
            Optional<ECKey> key = publicKey(jws.getHeader().getKeyID());
            return key.isPresent() && jws.verify(new ECDSAVerifier(key.get())) ? Optional.of(jws.getPayload().toString())
                    : Optional.empty();
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<ECKey> publicKey(String kid) throws ParseException {
        if (kid == null) {
            return Optional.empty();
        }
        Optional<ECKey> published = keys.verificationKey(kid);
        if (published.isPresent()) {
            return published;
        }
        SigningKey stored = SigningKey.findById(kid);
        return stored == null ? Optional.empty() : Optional.of(ECKey.parse(stored.publicJwk));
    }
}
