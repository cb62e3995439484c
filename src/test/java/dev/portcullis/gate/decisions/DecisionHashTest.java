package dev.portcullis.gate.decisions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Pins the canonical serialisation documented in {@link DecisionHash} (vector computed independently). */
class DecisionHashTest {

    static DecisionRecord sample(String errorCode, String caller, String policy) {
        return new DecisionRecord(7, UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                Instant.parse("2024-05-06T07:08:09.123456789Z"), caller, policy, "demo", "r42", "a".repeat(64),
                DecisionHash.sha256Hex("{\"x\":\"\u00e9\"}"), "{\"x\":\"\u00e9\"}", "{\"allow\":true}", true,
                errorCode, 1500, DecisionHash.GENESIS, null);
    }

    @Test
    void knownVector() {
        DecisionRecord r = sample(null, "alice", "incidents/transition");
        assertEquals("97f06f396a709c3a29824e1cc794eeb98e2d1a262d7d455439d286d42803f0fe", r.inputSha256());
        assertEquals("c275a401f68921c67b972c1b67d7f63f6f18581810ee2db6ccafbf3308b0d58a", DecisionHash.hash(r));
        assertEquals("2024-05-06T07:08:09.123456Z", DecisionHash.formatTs(r.ts()));
    }

    @Test
    void fieldBoundariesAndNullsAreUnambiguous() {
        assertNotEquals(DecisionHash.hash(sample(null, "alice", "incidents/transition")),
                DecisionHash.hash(sample("", "alice", "incidents/transition")));
        assertNotEquals(DecisionHash.hash(sample(null, "alic", "eincidents/transition")),
                DecisionHash.hash(sample(null, "alice", "incidents/transition")));
    }

    @Test
    void cursorRoundTrip() {
        assertEquals(123456789L, DecisionQueries.decodeCursor(DecisionQueries.encodeCursor(123456789L)));
    }
}
