package dev.latch.webauthn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.web.ProblemException;
import java.util.UUID;

/** The JSON shapes the browser glue ({@code web/static/js/webauthn.js}) exchanges with the portal. */
public final class CeremonyJson {

    private CeremonyJson() {
    }

    /** Answer to a start call: the ceremony id and the options for {@code navigator.credentials}. */
    public record StartAnswer(UUID ceremonyId, JsonNode publicKey) {
    }

    /** A finish call: the ceremony id and the credential as {@code PublicKeyCredential.toJSON()} gives it. */
    public record Finish(UUID ceremonyId, JsonNode credential, String next) {

        /** The credential as text for Yubico's parser; a missing one is a clear 400. */
        public String credentialJson() {
            if (credential == null || !credential.isObject()) {
                throw ProblemException.badRequest("webauthn-malformed", "The request carries no security-key response.");
            }
            return credential.toString();
        }
    }

    /** The finish call of a request, or a clear 400 when the body is missing. */
    public static Finish require(Finish finish) {
        if (finish == null) {
            throw ProblemException.badRequest("webauthn-malformed", "The request carries no security-key response.");
        }
        return finish;
    }

    /** Where the browser goes next. */
    public record Done(String redirect) {
    }

    public static StartAnswer answer(WebAuthnService.Started started, ObjectMapper json) {
        try {
            return new StartAnswer(started.ceremonyId(), json.readTree(started.publicKeyJson()).get("publicKey"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the library produced invalid JSON", e);
        }
    }
}
