package dev.latch.webauthn.attestation;

import com.yubico.fido.metadata.AuthenticatorStatus;
import com.yubico.fido.metadata.FidoMetadataDownloader;
import com.yubico.fido.metadata.FidoMetadataService;
import com.yubico.fido.metadata.MetadataBLOB;
import com.yubico.fido.metadata.MetadataBLOBPayloadEntry;
import com.yubico.fido.metadata.StatusReport;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.data.AttestationConveyancePreference;
import com.yubico.webauthn.data.ByteArray;
import dev.latch.web.ProblemException;
import dev.latch.webauthn.WebAuthnConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/** The attestation rules of the package documentation, applied at registration and to stored keys. */
@ApplicationScoped
public class AttestationPolicy {

    private static final Logger LOG = Logger.getLogger(AttestationPolicy.class);

    /** Metadata statuses that mean keys of the model must not be trusted. */
    static final Set<AuthenticatorStatus> COMPROMISED = EnumSet.of(AuthenticatorStatus.REVOKED,
            AuthenticatorStatus.USER_VERIFICATION_BYPASS, AuthenticatorStatus.ATTESTATION_KEY_COMPROMISE,
            AuthenticatorStatus.USER_KEY_REMOTE_COMPROMISE, AuthenticatorStatus.USER_KEY_PHYSICAL_COMPROMISE);

    private final boolean direct;
    private final Set<UUID> allowed;
    private final Optional<FidoMetadataService> trustSource;
    private final Map<UUID, MetadataBLOBPayloadEntry> entries;

    public AttestationPolicy(WebAuthnConfig config, Clock clock) {
        WebAuthnConfig.Attestation attestation = config.attestation();
        String policy = attestation.policy().trim().toLowerCase();
        if (!policy.equals("none") && !policy.equals("direct")) {
            throw new IllegalStateException("latch.webauthn.attestation.policy must be none or direct, not " + policy);
        }
        this.direct = policy.equals("direct");
        this.allowed = attestation.allowedAaguids().orElse(Set.of());
        List<CRL> crls = crls(attestation);
        Optional<MetadataBLOB> blob = load(attestation, crls, clock);
        if (direct && blob.isEmpty()) {
            throw new IllegalStateException("latch.webauthn.attestation.policy=direct needs metadata-blob and metadata-trust-root");
        }
        this.entries = new HashMap<>();
        blob.ifPresent(b -> b.getPayload().getEntries().forEach(e -> e.getAaguid().ifPresent(a -> entries.put(toUuid(a.asBytes()), e))));
        this.trustSource = blob.map(b -> trustSource(b, crls));
    }

    /** Sets the relying party's attestation options for this policy. */
    public void configure(RelyingParty.RelyingPartyBuilder builder) {
        builder.attestationConveyancePreference(direct ? AttestationConveyancePreference.DIRECT : AttestationConveyancePreference.NONE);
        trustSource.ifPresent(builder::attestationTrustSource);
        // the verdict is ours (judge), so a refused key gets a message that names the rule
        builder.allowUntrustedAttestation(true);
    }

    /** Refuses a verified registration that breaks the policy; returns quietly otherwise. */
    public void judge(RegistrationResult result) {
        UUID aaguid = toUuid(result.getAaguid());
        String model = modelName(aaguid).orElse("unknown model");
        compromiseReason(aaguid).ifPresent(reason -> {
            throw refused("This key model (" + model + ") has been reported compromised by its maker (FIDO metadata status "
                    + reason + "). Use another security key.");
        });
        if (!direct) {
            return;
        }
        if (!result.isAttestationTrusted()) {
            throw refused("Latch requires a security key whose make can be verified (attestation policy: direct); this key's "
                    + "attestation does not chain to a trusted root (AAGUID " + aaguid + ", " + model + "). Use an approved key.");
        }
        if (!allowed.isEmpty() && !allowed.contains(aaguid)) {
            throw refused("Latch accepts only approved key models (attestation allow-list); this key (AAGUID " + aaguid + ", "
                    + model + ") is not on it. Ask your administrator which keys are approved.");
        }
    }

    /** The metadata status that makes a model untrustworthy, if its latest report is one. */
    public Optional<String> compromiseReason(UUID aaguid) {
        MetadataBLOBPayloadEntry entry = aaguid == null ? null : entries.get(aaguid);
        if (entry == null) {
            return Optional.empty();
        }
        List<StatusReport> reports = entry.getStatusReports();
        return reports.stream()
                .max(Comparator.comparing((StatusReport r) -> r.getEffectiveDate().orElse(LocalDate.MIN)))
                .map(StatusReport::getStatus)
                .filter(COMPROMISED::contains)
                .map(AuthenticatorStatus::name);
    }

    /** A friendly model name: from the metadata when loaded, else from a short built-in list. */
    public Optional<String> modelName(UUID aaguid) {
        if (aaguid == null) {
            return Optional.empty();
        }
        MetadataBLOBPayloadEntry entry = entries.get(aaguid);
        if (entry != null && entry.getMetadataStatement().isPresent()) {
            return entry.getMetadataStatement().get().getDescription();
        }
        return KnownAuthenticators.name(aaguid);
    }

    /** CRLs for the BLOB's signing chain and for attestation chains: revocation is checked offline with them. */
    private static List<CRL> crls(WebAuthnConfig.Attestation config) {
        if (config.metadataCrls().isEmpty()) {
            return List.of();
        }
        try (InputStream in = Files.newInputStream(config.metadataCrls().get())) {
            return List.copyOf(CertificateFactory.getInstance("X.509").generateCRLs(in));
        } catch (Exception e) {
            throw new IllegalStateException("The CRL file " + config.metadataCrls().get() + " could not be read: " + e, e);
        }
    }

    private static Optional<MetadataBLOB> load(WebAuthnConfig.Attestation config, List<CRL> crls, Clock clock) {
        if (config.metadataBlob().isEmpty()) {
            return Optional.empty();
        }
        Path blobFile = config.metadataBlob().get();
        Path rootFile = config.metadataTrustRoot().orElseThrow(() -> new IllegalStateException(
                "latch.webauthn.attestation.metadata-blob needs metadata-trust-root (the PEM root that signs it)"));
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            X509Certificate root;
            try (InputStream in = Files.newInputStream(rootFile)) {
                root = (X509Certificate) x509.generateCertificate(in);
            }
            FidoMetadataDownloader.FidoMetadataDownloaderBuilder builder = FidoMetadataDownloader.builder()
                    .expectLegalHeader(config.metadataLegalHeader())
                    .useTrustRoot(root)
                    .useBlob(Files.readString(blobFile).trim())
                    .clock(clock);
            if (!crls.isEmpty()) {
                builder.useCrls(crls);
            }
            MetadataBLOB blob = builder.build().loadCachedBlob();
            LocalDate nextUpdate = blob.getPayload().getNextUpdate();
            if (nextUpdate.isBefore(LocalDate.now(clock.withZone(ZoneOffset.UTC)))) {
                LOG.warnf("The FIDO metadata BLOB %s was due for an update on %s; download a fresh one from the FIDO MDS.", blobFile, nextUpdate);
            }
            LOG.infof("Loaded FIDO metadata BLOB no. %d with %d entries", blob.getPayload().getNo(), blob.getPayload().getEntries().size());
            return Optional.of(blob);
        } catch (Exception e) {
            throw new IllegalStateException("The FIDO metadata BLOB " + blobFile + " could not be loaded and verified: " + e, e);
        }
    }

    private static FidoMetadataService trustSource(MetadataBLOB blob, List<CRL> crls) {
        try {
            FidoMetadataService.FidoMetadataServiceBuilder builder = FidoMetadataService.builder().useBlob(blob);
            if (!crls.isEmpty()) {
                builder.certStore(java.security.cert.CertStore.getInstance("Collection",
                        new java.security.cert.CollectionCertStoreParameters(crls)));
            }
            return builder.build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the metadata trust source: " + e.getMessage(), e);
        }
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(400, "attestation-refused", "Security key not accepted", detail);
    }

    static UUID toUuid(ByteArray aaguid) {
        return aaguid == null || aaguid.size() != 16 ? null : toUuid(aaguid.getBytes());
    }

    private static UUID toUuid(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        UUID id = new UUID(buffer.getLong(), buffer.getLong());
        return id.getMostSignificantBits() == 0 && id.getLeastSignificantBits() == 0 ? null : id;
    }
}
