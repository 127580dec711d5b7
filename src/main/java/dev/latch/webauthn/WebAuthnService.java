package dev.latch.webauthn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.data.AuthenticatorSelectionCriteria;
import com.yubico.webauthn.data.AuthenticatorTransport;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.ResidentKeyRequirement;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.data.UserVerificationRequirement;
import com.yubico.webauthn.exception.AssertionFailedException;
import com.yubico.webauthn.exception.RegistrationFailedException;
import dev.latch.audit.AuditEntry;
import dev.latch.audit.AuditLog;
import dev.latch.identity.User;
import dev.latch.web.PortalConfig;
import dev.latch.web.ProblemException;
import dev.latch.webauthn.attestation.AttestationPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The one relying party, and the start/finish pairs of every ceremony Latch runs. Requests are
 * kept in the {@link CeremonyStore}; responses are verified by Yubico's library; failures become
 * 400 problems whose detail says what went wrong, and change nothing.
 */
@ApplicationScoped
public class WebAuthnService {

    private static final Logger LOG = Logger.getLogger(WebAuthnService.class);
    private static final int MAX_CREDENTIAL_ID_BYTES = 1023;

    private final RelyingParty relyingParty;
    /** Re-checks stored evidence only: finds revoked keys too, so old decisions stay verifiable. */
    private final RelyingParty evidenceParty;
    private final CeremonyStore ceremonies;
    private final AttestationPolicy attestation;
    private final WebAuthnConfig config;
    private final AuditLog audit;
    private final Clock clock;

    public WebAuthnService(WebAuthnConfig config, PortalConfig portal, PanacheCredentialRepository credentials,
            CeremonyStore ceremonies, AttestationPolicy attestation, AuditLog audit, Clock clock) {
        this.config = config;
        this.ceremonies = ceremonies;
        this.attestation = attestation;
        this.audit = audit;
        this.clock = clock;
        RelyingParty.RelyingPartyBuilder builder = RelyingParty.builder()
                .identity(RelyingPartyIdentity.builder()
                        .id(config.rpId().orElse(portal.publicUrl().getHost()))
                        .name(config.rpName())
                        .build())
                .credentialRepository(credentials)
                .origins(config.origins().orElse(Set.of(portal.publicOrigin())))
                // counters are checked below, so a regression can be flagged and audited, not only refused
                .validateSignatureCounter(false)
                .clock(clock);
        attestation.configure(builder);
        this.relyingParty = builder.build();
        this.evidenceParty = relyingParty.toBuilder().credentialRepository(credentials.includingRevoked()).build();
    }

    /** A started ceremony: its id and the options for {@code navigator.credentials}. */
    public record Started(UUID ceremonyId, String publicKeyJson) {
    }

    /** Who a new key is being registered for. */
    public record Registrant(byte[] userHandle, String username, String displayName) {
    }

    /** A verified registration, not yet stored. */
    public record VerifiedRegistration(CeremonyStore.Pending ceremony, RegistrationResult result) {
    }

    /** A verified assertion: the user and the key they used. */
    public record VerifiedAssertion(CeremonyStore.Pending ceremony, User user, WebAuthnCredential credential) {
    }

    // --- registration ---------------------------------------------------------------------------

    public Started startRegistration(Registrant registrant, Map<String, String> context) {
        PublicKeyCredentialCreationOptions options = relyingParty.startRegistration(StartRegistrationOptions.builder()
                .user(UserIdentity.builder()
                        .name(registrant.username())
                        .displayName(registrant.displayName())
                        .id(new ByteArray(registrant.userHandle()))
                        .build())
                .authenticatorSelection(AuthenticatorSelectionCriteria.builder()
                        .residentKey(ResidentKeyRequirement.valueOf(config.residentKey().toUpperCase()))
                        .userVerification(userVerification())
                        .build())
                .timeout(config.ceremonyTimeout().toMillis())
                .build());
        Map<String, String> stored = new HashMap<>(context);
        stored.put("user_handle", new ByteArray(registrant.userHandle()).getBase64Url());
        try {
            UUID id = ceremonies.save(CeremonyStore.Kind.REGISTRATION, options.toJson(), null, null, stored);
            return new Started(id, options.toCredentialsCreateJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise registration options", e);
        }
    }

    /**
     * Verifies a registration answer. A refused answer (another origin, a frame, a lying client) is
     * audited in a transaction of its own, so the evidence outlives whatever the caller rolls back.
     */
    public VerifiedRegistration finishRegistration(UUID ceremonyId, String responseJson) {
        CeremonyStore.Pending ceremony = take(ceremonyId, CeremonyStore.Kind.REGISTRATION);
        try {
            return verifyRegistration(ceremony, responseJson);
        } catch (ProblemException refused) {
            String username = ceremony.context().get("username");
            audit.recordRefusal(AuditEntry.of("key.registration")
                    .byAnonymous().on("webauthn_ceremony", ceremonyId).failed(refused.detail())
                    .detail("code", refused.code()).detail("username", username == null ? "" : username));
            throw refused;
        }
    }

    private VerifiedRegistration verifyRegistration(CeremonyStore.Pending ceremony, String responseJson) {
        try {
            var response = PublicKeyCredential.parseRegistrationResponseJson(responseJson);
            refuseFramed(response.getResponse().getClientDataJSON());
            // the stored id must be the one the authenticator signed, not one the client chose
            boolean sameId = response.getResponse().getAttestation().getAuthenticatorData().getAttestedCredentialData()
                    .map(attested -> attested.getCredentialId().equals(response.getId())).orElse(false);
            if (!sameId) {
                throw refused("The key's credential id is not the one it attested, so the registration was refused.");
            }
            // WebAuthn L3 §7.1 step 25: longer ids are not from a conforming authenticator (the library does not check)
            if (response.getId().size() > MAX_CREDENTIAL_ID_BYTES) {
                throw refused("The key's credential id is longer than " + MAX_CREDENTIAL_ID_BYTES + " bytes, so the registration was refused.");
            }
            RegistrationResult result = relyingParty.finishRegistration(FinishRegistrationOptions.builder()
                    .request(PublicKeyCredentialCreationOptions.fromJson(ceremony.requestJson()))
                    .response(response)
                    .build());
            if (result.isBackupEligible() && !config.allowSyncedPasskeys()) {
                throw refused("This is a synced passkey (its key can be copied to other devices through a cloud account), "
                        + "which Latch does not accept. Register a hardware security key instead, or ask your administrator.");
            }
            attestation.judge(result);
            return new VerifiedRegistration(ceremony, result);
        } catch (IOException | IllegalArgumentException e) {
            throw malformed(e);
        } catch (RegistrationFailedException e) {
            throw refused("The security key's registration was refused: " + e.getMessage());
        }
    }

    /** Stores a verified key for a user. Call inside the transaction that completes the registration. */
    @Transactional(Transactional.TxType.MANDATORY)
    public WebAuthnCredential store(UUID userId, VerifiedRegistration registration, String nickname) {
        RegistrationResult result = registration.result();
        WebAuthnCredential credential = new WebAuthnCredential();
        credential.id = UUID.randomUUID();
        credential.userId = userId;
        credential.credentialId = result.getKeyId().getId().getBytes();
        credential.publicKeyCose = result.getPublicKeyCose().getBytes();
        credential.signatureCount = result.getSignatureCount();
        credential.aaguid = aaguid(result.getAaguid());
        credential.transports = result.getKeyId().getTransports().orElse(new java.util.TreeSet<>()).stream()
                .map(AuthenticatorTransport::getId).sorted().toList();
        credential.nickname = nickname;
        credential.attestationFormat = result.getAttestationType().name().toLowerCase();
        credential.attestationTrusted = result.isAttestationTrusted();
        credential.backupEligible = result.isBackupEligible();
        credential.backedUp = result.isBackedUp();
        credential.createdAt = clock.instant();
        credential.persist();
        return credential;
    }

    // --- assertions: sign-in and step-up ----------------------------------------------------------

    /** Starts a sign-in; without a username the browser offers the discoverable keys it has. */
    public Started startSignIn(Optional<String> username, Map<String, String> context) {
        return startAssertion(CeremonyStore.Kind.SIGN_IN, username, null, null, context);
    }

    /** Starts a step-up for the signed-in user: only their own keys are asked. */
    public Started startStepUp(User user, UUID sessionId, Map<String, String> context) {
        return startAssertion(CeremonyStore.Kind.STEP_UP, Optional.of(user.username), user.id, sessionId, context);
    }

    public VerifiedAssertion finishSignIn(UUID ceremonyId, String responseJson) {
        return finishAssertion(take(ceremonyId, CeremonyStore.Kind.SIGN_IN), responseJson);
    }

    /** Finishes a step-up; it must be the same user and session that started it. */
    public VerifiedAssertion finishStepUp(UUID ceremonyId, String responseJson, UUID userId, UUID sessionId) {
        CeremonyStore.Pending ceremony = take(ceremonyId, CeremonyStore.Kind.STEP_UP);
        if (!userId.equals(ceremony.userId()) || !sessionId.equals(ceremony.sessionId())) {
            throw refused("This confirmation was started in another session. Start again.");
        }
        VerifiedAssertion verified = finishAssertion(ceremony, responseJson);
        if (!verified.user().id.equals(userId)) {
            throw refused("That security key belongs to someone else.");
        }
        return verified;
    }

    /**
     * Starts a signed decision: an assertion by the signed-in user's own keys whose challenge is
     * the given bytes (the hash of what is decided), so the stored answer is evidence of it.
     */
    public Started startDecision(User user, UUID sessionId, byte[] challenge, Map<String, String> context) {
        return startAssertion(CeremonyStore.Kind.DECISION, Optional.of(user.username), user.id, sessionId, context, challenge);
    }

    /** Finishes a signed decision; same user and session as the start, and one of their keys. */
    public VerifiedAssertion finishDecision(UUID ceremonyId, String responseJson, UUID userId, UUID sessionId) {
        CeremonyStore.Pending ceremony = take(ceremonyId, CeremonyStore.Kind.DECISION);
        if (!userId.equals(ceremony.userId()) || !sessionId.equals(ceremony.sessionId())) {
            throw refused("This decision was started in another session. Start again.");
        }
        VerifiedAssertion verified = finishAssertion(ceremony, responseJson);
        if (!verified.user().id.equals(userId)) {
            throw refused("That security key belongs to someone else.");
        }
        return verified;
    }

    /**
     * Checks stored evidence again: the assertion answers the stored request (its challenge,
     * origin and relying party) and verifies with the stored public key of that credential. Pure:
     * counters and last use are not touched.
     */
    public boolean verifyEvidence(String requestJson, String responseJson, byte[] credentialId) {
        try {
            AssertionResult result = evidenceParty.finishAssertion(FinishAssertionOptions.builder()
                    .request(AssertionRequest.fromJson(requestJson))
                    .response(PublicKeyCredential.parseAssertionResponseJson(responseJson))
                    .build());
            return result.isSuccess() && java.util.Arrays.equals(result.getCredentialId().getBytes(), credentialId);
        } catch (IOException | IllegalArgumentException | AssertionFailedException e) {
            return false;
        }
    }

    /** The challenge a stored assertion request asked to be signed. */
    public static byte[] challengeOf(String requestJson) {
        try {
            return AssertionRequest.fromJson(requestJson).getPublicKeyCredentialRequestOptions().getChallenge().getBytes();
        } catch (IOException e) {
            throw new IllegalArgumentException("not an assertion request", e);
        }
    }

    private Started startAssertion(CeremonyStore.Kind kind, Optional<String> username, UUID userId, UUID sessionId,
            Map<String, String> context) {
        return startAssertion(kind, username, userId, sessionId, context, null);
    }

    private Started startAssertion(CeremonyStore.Kind kind, Optional<String> username, UUID userId, UUID sessionId,
            Map<String, String> context, byte[] challenge) {
        AssertionRequest started = relyingParty.startAssertion(StartAssertionOptions.builder()
                .username(username.map(String::trim).map(String::toLowerCase).filter(u -> !u.isEmpty()))
                .userVerification(userVerification())
                .timeout(config.ceremonyTimeout().toMillis())
                .build());
        AssertionRequest request = challenge == null ? started : started.toBuilder()
                .publicKeyCredentialRequestOptions(started.getPublicKeyCredentialRequestOptions().toBuilder()
                        .challenge(new ByteArray(challenge)).build())
                .build();
        try {
            UUID id = ceremonies.save(kind, request.toJson(), userId, sessionId, context);
            return new Started(id, request.toCredentialsGetJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise assertion request", e);
        }
    }

    private VerifiedAssertion finishAssertion(CeremonyStore.Pending ceremony, String responseJson) {
        AssertionResult result;
        try {
            var response = PublicKeyCredential.parseAssertionResponseJson(responseJson);
            refuseFramed(response.getResponse().getClientDataJSON());
            result = relyingParty.finishAssertion(FinishAssertionOptions.builder()
                    .request(AssertionRequest.fromJson(ceremony.requestJson()))
                    .response(response)
                    .build());
        } catch (IOException | IllegalArgumentException e) {
            throw malformed(e);
        } catch (AssertionFailedException e) {
            throw refused("The security key's answer was refused: " + e.getMessage());
        }
        if (!result.isSuccess()) {
            throw refused("The security key's answer could not be verified.");
        }
        return recordUse(ceremony, result);
    }

    /** Updates the key's counter and last use, or flags and refuses a key that looks cloned. */
    private VerifiedAssertion recordUse(CeremonyStore.Pending ceremony, AssertionResult result) {
        WebAuthnCredential credential = WebAuthnCredentials.find(result.getCredentialId().getBytes());
        User user = io.quarkus.narayana.jta.QuarkusTransaction.joiningExisting().call(() -> User.<User>findById(credential.userId));
        if (!result.isSignatureCounterValid()) {
            WebAuthnCredentials.flagSuspectedClone(credential.id, clock.instant());
            audit.record(AuditEntry.of("key.suspected_clone").byUser(user.id.toString(), user.username)
                    .on("key", credential.id).denied("signature counter went backwards")
                    .detail("stored_counter", credential.signatureCount).detail("received_counter", result.getSignatureCount()));
            LOG.warnf("Security key %s of %s may be cloned: counter %d after %d", credential.id, user.username,
                    result.getSignatureCount(), credential.signatureCount);
            if (config.refuseSuspectedClones()) {
                throw refused("This security key reported a signature counter lower than before, which can mean it "
                        + "was cloned. Sign-in with it is blocked and your administrators have been told. Use another key.");
            }
        }
        if (user == null || !user.isActive()) {
            throw new ProblemException(403, "user-disabled", "Account disabled",
                    "This Latch account is disabled. Ask your administrator if you think this is a mistake.");
        }
        if (config.refuseSuspectedClones() && credential.suspectedCloneAt != null) {
            throw refused("This security key was flagged as possibly cloned. Use another key, or ask an administrator.");
        }
        if (credential.isRevoked()) {
            // normally the lookup already hides it; this closes the window of a revocation during the ceremony
            throw refused("This security key was revoked. Use another key, or ask an administrator for a link to register a new one.");
        }
        if (credential.compromisedReason != null) {
            throw refused("This key model is reported compromised (" + credential.compromisedReason + "). Use another key.");
        }
        WebAuthnCredential updated = WebAuthnCredentials.recordUse(credential.id, result.getSignatureCount(),
                result.isBackedUp(), clock.instant());
        return new VerifiedAssertion(ceremony, user, updated);
    }

    private CeremonyStore.Pending take(UUID ceremonyId, CeremonyStore.Kind kind) {
        if (ceremonyId == null) {
            throw ProblemException.badRequest("webauthn-ceremony-missing", "The request names no security-key ceremony.");
        }
        return ceremonies.consume(ceremonyId, kind).orElseThrow(() -> new ProblemException(400, "webauthn-ceremony-expired",
                "Request expired", "This security-key request has expired or was already used. Start again."));
    }

    private UserVerificationRequirement userVerification() {
        return UserVerificationRequirement.valueOf(config.userVerification().toUpperCase());
    }

    private static UUID aaguid(ByteArray aaguid) {
        if (aaguid == null || aaguid.size() != 16) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.wrap(aaguid.getBytes());
        UUID id = new UUID(bytes.getLong(), bytes.getLong());
        return id.getMostSignificantBits() == 0 && id.getLeastSignificantBits() == 0 ? null : id;
    }

    private static ProblemException malformed(Exception e) {
        return ProblemException.badRequest("webauthn-malformed",
                "The security key's response is malformed and could not be read. Start again.");
    }

    private static void refuseFramed(ByteArray clientDataJson) throws IOException {
        if (FramedCeremony.wasFramed(clientDataJson)) {
            throw refused("The security key was used inside a frame of another site. Open Latch directly and try again.");
        }
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(400, "webauthn-refused", "Security key refused", detail);
    }

    /** Lists the keys of a user; for pages. */
    public List<WebAuthnCredential> keysOf(UUID userId) {
        return WebAuthnCredentials.ofUser(userId);
    }
}
