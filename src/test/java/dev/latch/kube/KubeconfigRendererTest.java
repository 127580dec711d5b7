package dev.latch.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The kubeconfig's header comment cannot be turned into YAML by what a person puts in their name. */
class KubeconfigRendererTest {

    private static final KubeconfigRenderer.Entry STAGING = new KubeconfigRenderer.Entry("i-1", "latch-staging-main",
            "latch-staging-main", "latch-ada-staging-main", "https://staging.example", "Q0E=", null);

    @Test
    void aDisplayNameWithYamlLineBreaksStaysInsideTheComment() {
        // YAML 1.1 breaks lines at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR too, not only at \n and \r
        String name = "Ada\u2028current-context: evil\u0085users: []\u2029x\u0000\u001b[31m\rpreferences: {}";
        String yaml = KubeconfigRenderer.render(List.of("Issued to " + name), List.of(STAGING), "https://latch.example", "hint");

        String header = yaml.substring(0, yaml.indexOf('\n'));
        assertTrue(header.startsWith("# Issued to Ada"), header);
        assertTrue(header.chars().allMatch(c -> c >= 0x20 && c != 0x7f && c != 0x85 && c != 0x2028 && c != 0x2029),
                "only printable characters in the header: " + header);
        Map<String, Object> parsed = new Yaml().load(yaml);
        assertEquals("latch-staging-main", parsed.get("current-context"));
        assertEquals(1, ((List<?>) parsed.get("users")).size());
    }
}
