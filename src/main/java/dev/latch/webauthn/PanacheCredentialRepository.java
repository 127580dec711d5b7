package dev.latch.webauthn;

import com.yubico.webauthn.CredentialRepository;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.data.AuthenticatorTransport;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredentialDescriptor;
import dev.latch.identity.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Yubico's storage port over our tables. Usernames are Latch usernames and user handles are the
 * 64 random bytes on {@link User}. Whether the user may sign in is decided after verification
 * ({@link WebAuthnService}), so a disabled user learns it only after proving key possession.
 *
 * <p>A revoked key is neither offered ({@code allowCredentials}) nor found for an assertion, so the
 * library refuses it before any signature is checked. {@link #lookupAll} still finds it, so a
 * revoked key cannot be registered again. Stored evidence is checked through
 * {@link #includingRevoked()}, because a decision made before the revocation stays verifiable.
 */
@ApplicationScoped
public class PanacheCredentialRepository implements CredentialRepository {

    @Override
    @Transactional
    public Set<PublicKeyCredentialDescriptor> getCredentialIdsForUsername(String username) {
        return User.findByUsername(username)
                .map(user -> WebAuthnCredential.ofUser(user.id).stream()
                        .map(PanacheCredentialRepository::descriptor)
                        .collect(Collectors.toSet()))
                .orElse(Set.of());
    }

    @Override
    @Transactional
    public Optional<ByteArray> getUserHandleForUsername(String username) {
        return User.findByUsername(username).map(user -> new ByteArray(user.userHandle));
    }

    @Override
    @Transactional
    public Optional<String> getUsernameForUserHandle(ByteArray userHandle) {
        return User.findByHandle(userHandle.getBytes()).map(user -> user.username);
    }

    @Override
    @Transactional
    public Optional<RegisteredCredential> lookup(ByteArray credentialId, ByteArray userHandle) {
        return lookup(credentialId, userHandle, false);
    }

    private static Optional<RegisteredCredential> lookup(ByteArray credentialId, ByteArray userHandle, boolean revokedToo) {
        return WebAuthnCredential.byCredentialId(credentialId.getBytes())
                .filter(credential -> revokedToo || !credential.isRevoked())
                .flatMap(credential -> User.<User>findByIdOptional(credential.userId)
                        .filter(user -> java.util.Arrays.equals(user.userHandle, userHandle.getBytes()))
                        .map(user -> registered(credential, user)));
    }

    @Override
    @Transactional
    public Set<RegisteredCredential> lookupAll(ByteArray credentialId) {
        return WebAuthnCredential.byCredentialId(credentialId.getBytes())
                .flatMap(credential -> User.<User>findByIdOptional(credential.userId)
                        .map(user -> registered(credential, user)))
                .map(Set::of)
                .orElse(Set.of());
    }

    /** The same port, but revoked keys are found too: only for re-checking stored evidence, never for a ceremony. */
    CredentialRepository includingRevoked() {
        PanacheCredentialRepository active = this;
        return new CredentialRepository() {
            @Override
            public Set<PublicKeyCredentialDescriptor> getCredentialIdsForUsername(String username) {
                return active.getCredentialIdsForUsername(username);
            }

            @Override
            public Optional<ByteArray> getUserHandleForUsername(String username) {
                return active.getUserHandleForUsername(username);
            }

            @Override
            public Optional<String> getUsernameForUserHandle(ByteArray userHandle) {
                return active.getUsernameForUserHandle(userHandle);
            }

            @Override
            public Optional<RegisteredCredential> lookup(ByteArray credentialId, ByteArray userHandle) {
                return io.quarkus.narayana.jta.QuarkusTransaction.joiningExisting()
                        .call(() -> PanacheCredentialRepository.lookup(credentialId, userHandle, true));
            }

            @Override
            public Set<RegisteredCredential> lookupAll(ByteArray credentialId) {
                return active.lookupAll(credentialId);
            }
        };
    }

    private static RegisteredCredential registered(WebAuthnCredential credential, User user) {
        return RegisteredCredential.builder()
                .credentialId(new ByteArray(credential.credentialId))
                .userHandle(new ByteArray(user.userHandle))
                .publicKeyCose(new ByteArray(credential.publicKeyCose))
                .signatureCount(credential.signatureCount)
                .backupEligible(credential.backupEligible)
                .backupState(credential.backedUp)
                .build();
    }

    private static PublicKeyCredentialDescriptor descriptor(WebAuthnCredential credential) {
        return PublicKeyCredentialDescriptor.builder()
                .id(new ByteArray(credential.credentialId))
                .transports(credential.transports.stream().map(AuthenticatorTransport::of).collect(Collectors.toSet()))
                .build();
    }
}
