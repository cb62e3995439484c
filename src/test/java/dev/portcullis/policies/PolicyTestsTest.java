package dev.portcullis.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.rego.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The runbook-as-code policies pass their own *_test.rego suites, run through the CLI's test command. */
class PolicyTestsTest {

    @Test
    void runbookPoliciesPassTheirTests() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"test", "-v", "policies"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("PASS data.gate.incidents.transition_test.test_active_breakglass_blocks_closure"), text);
        assertTrue(text.contains("PASS data.gate.access.request_test.test_quarantined_version_is_never_served_exported_or_published"), text);
        assertTrue(text.matches("(?s).*policy tests: [1-9][0-9]* passed, 0 failed.*"), text);
    }
}
