package dev.latch.webauthn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.yubico.webauthn.data.ByteArray;
import java.io.IOException;

/**
 * Whether a ceremony's answer was made inside a frame of another origin. The browser says so in
 * {@code clientDataJSON}: {@code crossOrigin: true}, and {@code topOrigin} names the page that
 * framed it (WebAuthn Level 3 §5.8.1). Latch's pages are never framed (CSP
 * {@code frame-ancestors 'none'}), so such an answer came from somewhere else and is refused;
 * java-webauthn-server does not check these members itself.
 */
final class FramedCeremony {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FramedCeremony() {
    }

    static boolean wasFramed(ByteArray clientDataJson) throws IOException {
        JsonNode clientData = JSON.readTree(clientDataJson.getBytes());
        return clientData.path("crossOrigin").asBoolean(false) || clientData.hasNonNull("topOrigin");
    }
}
