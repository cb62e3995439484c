package dev.portcullis.rego.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.rego.builtins.BuiltinDecl;
import dev.portcullis.rego.builtins.BuiltinTable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HostBuiltinsTest {

    /** One declaration per builtin: the table's host rows are exactly what HostBuiltins provides. */
    @Test
    void tableAndImplementationsAgree() {
        Map<String, Integer> declared = BuiltinTable.all().stream().filter(BuiltinDecl::isHost)
                .collect(Collectors.toMap(BuiltinDecl::name, BuiltinDecl::arity, (a, b) -> a, TreeMap::new));
        Map<String, Integer> implemented = HostBuiltins.functions().stream()
                .collect(Collectors.toMap(HostFunction::name, HostFunction::arity, (a, b) -> {
                    throw new AssertionError("implemented twice");
                }, TreeMap::new));
        assertEquals(declared, implemented);
        assertEquals(implemented.size(), HostBuiltins.all().length);
    }

    @Test
    void goJsonRoundTripsNumbersAndEscapesLikeGo() throws Exception {
        JsonNode v = GoJson.parse("{\"b\":1.50,\"a\":\"<&>\\u2028\",\"c\":[1e3,-0,12345678901234567890123],\"b\":2.50}");
        assertEquals("{\"a\":\"\\u003c\\u0026\\u003e\\u2028\",\"b\":2.50,\"c\":[1e3,-0,12345678901234567890123]}",
                GoJson.write(v));
    }

    @Test
    void goBase64FollowsGoNotJava() throws Exception {
        // CR/LF are skipped; non-zero trailing bits are accepted; unpadded base64url is padded first
        assertEquals("hello", new String(GoBase64.stdDecode("aGVs\r\nbG8=")));
        assertEquals("a", new String(GoBase64.opaUrlDecode("YR")));
        assertEquals("??>", new String(GoBase64.opaUrlDecode("Pz8-")));
    }

    @Test
    void errorsAreUndefinedNotValues() {
        HostFunction decode = HostBuiltins.functions().stream().filter(f -> f.name().equals("io.jwt.decode"))
                .findFirst().orElseThrow();
        assertNull(decode.call(List.of(GoJson.NODES.textNode("not.a.jwt"))));
        assertNull(decode.call(List.of(GoJson.NODES.numberNode(1))));
    }
}
