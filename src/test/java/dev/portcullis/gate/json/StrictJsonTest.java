package dev.portcullis.gate.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

    private final StrictJson json = new StrictJson(16);

    private static byte[] bytes(int... bs) {
        byte[] out = new byte[bs.length];
        for (int i = 0; i < bs.length; i++) {
            out[i] = (byte) bs[i];
        }
        return out;
    }

    private static byte[] concat(String a, byte[] mid, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] z = b.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[x.length + mid.length + z.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(mid, 0, out, x.length, mid.length);
        System.arraycopy(z, 0, out, x.length + mid.length, z.length);
        return out;
    }

    private void refused(byte[] b) {
        assertThrows(InvalidJsonException.class, () -> json.readTree(b));
        assertThrows(InvalidJsonException.class, () -> json.validate(b));
    }

    private void refused(String s) {
        refused(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void overlongAndInvalidUtf8IsRefusedInValuesAndKeys() {
        refused(concat("{\"user\":\"", bytes(0xC1, 0xA1), "lice\"}")); // overlong 'a'
        refused(concat("{\"", bytes(0xC0, 0xAF), "\":1}")); // overlong '/' in a key
        refused(concat("[\"", bytes(0xE0, 0x80, 0xAF), "\"]")); // 3-byte overlong
        refused(concat("[\"", bytes(0xF0, 0x80, 0x80, 0xAF), "\"]")); // 4-byte overlong
        refused(concat("[\"", bytes(0xED, 0xA0, 0x80), "\"]")); // encoded surrogate
        refused(concat("[\"", bytes(0xF4, 0x90, 0x80, 0x80), "\"]")); // beyond U+10FFFF
        refused(concat("[\"", bytes(0xFF), "\"]"));
        refused(concat("[\"", bytes(0xC3), "\"]")); // truncated sequence
        refused(concat("[\"", bytes(0x80), "\"]")); // lone continuation
        refused(concat("", bytes(0xEF, 0xBB, 0xBF), "{}")); // byte-order mark
    }

    @Test
    void validMultiByteUtf8IsAccepted() {
        JsonNode n = json.readTree("{\"k\":\"é€😀\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("é€😀", n.get("k").textValue());
        assertEquals("😀", json.readTree("[\"\\ud83d\\ude00\"]".getBytes(StandardCharsets.UTF_8)).get(0).textValue());
    }

    @Test
    void loneSurrogateEscapesAreRefused() {
        refused("[\"\\ud800\"]");
        refused("[\"a\\udc00b\"]");
        refused("{\"\\ud800\":1}");
        refused("[\"\\ude00\\ud83d\"]"); // reversed pair
    }

    @Test
    void duplicateKeysAreRefusedAtAnyDepth() {
        refused("{\"user\":\"bob\",\"user\":\"alice\"}");
        refused("{\"a\":{\"b\":{\"c\":1,\"c\":2}}}");
        refused("[{\"x\":1,\"x\":1}]");
        assertThrows(InvalidJsonException.class,
                () -> json.readEnvelope("{\"policy\":\"p\",\"input\":{\"u\":1,\"u\":2}}".getBytes(), "input"));
        assertThrows(InvalidJsonException.class,
                () -> json.readEnvelope("{\"input\":{},\"input\":{}}".getBytes(), "input"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} garbage", "{}{}", "{}]", "{}}", "[1] 2", "1 2", "\"a\" \"b\"", "{} ,", "{}//x",
            "{},", "", "   ", "{", "[1,]", "{\"a\":1,}", "{a:1}", "{'a':1}", "[NaN]", "[Infinity]", "[-Infinity]",
            "[+1]", "[01]", "[1.]", "[.5]", "[0x10]", "[\"\t\"]", "[\"\\a\"]", "[tru]", "[nul]", "/*c*/{}"})
    void nonRfcTextIsRefused(String s) {
        refused(s);
    }

    @Test
    void nulAndControlBytesAreRefusedEvenAfterTheValue() {
        refused(concat("{}", bytes(0), ""));
        refused(concat("{\"a\":\"", bytes(0), "\"}"));
        refused(concat("", bytes(0x0B), "{}")); // vertical tab is not JSON whitespace
        // UTF-16 text would need zero bytes: refused before any encoding is guessed
        refused(bytes(0, '{', 0, '}'));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "2e308", "1e999999", "1e-400", "0.10000000000000000001",
            "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
            "9007199254740993.0", "1e99999999999999999999"})
    void numbersEvaluationCannotHoldExactlyAreRefused(String n) {
        refused("{\"n\":" + n + "}");
        assertThrows(InvalidJsonException.class,
                () -> json.readEnvelope(("{\"input\":{\"n\":" + n + "}}").getBytes(), "input"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "9223372036854775807", "-9223372036854775808", "0.1", "-0.0", "1e21",
            "1E+21", "2.5e-3", "1.7976931348623157e308", "5e-324", "0.30000000000000004", "1.0", "100e-2",
            "2.2250738585072014E-308", "123456789.123456"})
    void exactNumbersAreAcceptedAndKeptAsSent(String n) {
        JsonNode v = json.readTree(("[" + n + "]").getBytes()).get(0);
        assertEquals(0, new BigDecimal(n).compareTo(v.decimalValue()), n);
        JsonText raw = json.readEnvelope(("{\"input\":" + n + "}").getBytes(), "input").raw();
        assertEquals(n, raw.toString());
    }

    @Test
    void nestingBeyondTheLimitIsTooDeep() {
        String ok = "[".repeat(16) + "]".repeat(16);
        json.readTree(ok.getBytes());
        InvalidJsonException e = assertThrows(InvalidJsonException.class,
                () -> json.readTree(("[".repeat(17) + "]".repeat(17)).getBytes()));
        assertTrue(e.tooDeep());
        assertTrue(assertThrows(InvalidJsonException.class,
                () -> json.validate(("[".repeat(10000) + "]".repeat(10000)).getBytes())).tooDeep());
        assertFalse(assertThrows(InvalidJsonException.class, () -> json.readTree("[1,".getBytes())).tooDeep());
    }

    @Test
    void envelopeKeepsTheRawMemberAsTheClientSentIt() {
        String input = "{ \"user\" : \"al\\u0069ce\", \"n\": [1, 2.50, {\"x\": null}] }";
        byte[] body = ("{\"policy\": \"a/b\",\n \"input\" : " + input + "  \n, \"z\": true}").getBytes();
        StrictJson.Envelope e = json.readEnvelope(body, "input");
        assertEquals(input, e.raw().toString());
        assertEquals("a/b", e.members().get("policy").textValue());
        assertTrue(e.members().get("z").booleanValue());
        assertFalse(e.members().has("input"));
        // scalars and arrays as the raw member, first or last
        for (String v : new String[] {"\"x\"", "12", "-0.5", "true", "false", "null", "[]", "[1,[2]]", "{}"}) {
            assertEquals(v, json.readEnvelope(("{\"input\":" + v + "}").getBytes(), "input").raw().toString());
            assertEquals(v, json.readEnvelope(("{\"input\" :\t" + v + " ,\"p\":1}").getBytes(), "input").raw()
                    .toString());
        }
        assertNull(json.readEnvelope("{\"policy\":\"x\"}".getBytes(), "input").raw());
        // a nested member of the same name is part of the tree, not the raw member
        StrictJson.Envelope nested = json.readEnvelope("{\"a\":{\"input\":1}}".getBytes(), "input");
        assertNull(nested.raw());
        assertEquals(1, nested.members().get("a").get("input").intValue());
        assertThrows(InvalidJsonException.class, () -> json.readEnvelope("[1]".getBytes(), "input"));
    }

    @Test
    void rawMemberDigestCoversExactlyItsBytes() {
        JsonText t = json.readEnvelope("{\"input\":{\"a\":1}}".getBytes(), "input").raw();
        assertEquals(json.validate("{\"a\":1}").sha256Hex(), t.sha256Hex());
        assertEquals(json.validate("{\"a\":1}"), t);
    }
}
