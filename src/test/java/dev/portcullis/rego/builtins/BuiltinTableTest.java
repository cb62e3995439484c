package dev.portcullis.rego.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.rego.wasm.FuncType;
import dev.portcullis.rego.wasm.RuntimeModule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinTableTest {

    private static BuiltinDecl get(String name) {
        return BuiltinTable.lookup(name).orElseThrow();
    }

    @Test
    void declaresOpasBuiltinsWithTheirArity() {
        assertEquals(1, get("count").arity());
        assertEquals(2, get("startswith").arity());
        assertEquals(3, get("object.get").arity());
        assertEquals(4, get("regex.template_match").arity());
        assertEquals(0, get("time.now_ns").arity());
        assertTrue(BuiltinTable.lookup("made_up_fn").isEmpty());
        // every OPA builtin family is declared, so an unknown name is a typo, not a missing family
        for (String n : List.of("regex.match", "glob.match", "units.parse_bytes", "net.cidr_merge", "json.patch",
                "io.jwt.decode_verify", "crypto.x509.parse_certificates", "graphql.parse", "semver.compare",
                "time.diff", "walk", "array.flatten", "strings.replace_n", "uuid.parse", "providers.aws.sign_req")) {
            assertTrue(BuiltinTable.lookup(n).isPresent(), n);
        }
        assertTrue(BuiltinTable.all().size() > 190, "size " + BuiltinTable.all().size());
    }

    @Test
    void typesFollowOpasDeclarations() {
        BuiltinDecl concat = get("concat");
        assertEquals("string", concat.arg(0).toString());
        assertEquals("array[string] | set[string]", concat.arg(1).toString());
        assertTrue(concat.arg(1).accepts("set"));
        assertFalse(concat.arg(1).accepts("object"));
        assertEquals("[boolean, array[object[string: any]]]",
                get("crypto.x509.parse_and_verify_certificates").result().toString());
        assertEquals(Type.ANY, get("object.get").arg(2));
        assertEquals(Type.ANY, get("count").arg(5), "past the declared arguments anything goes");
        assertNull(get("print").result());
        assertTrue(get("print").has(BuiltinDecl.Flag.VARIADIC));
        assertTrue(get("walk").has(BuiltinDecl.Flag.RELATION));
        assertTrue(get("time.now_ns").has(BuiltinDecl.Flag.NONDETERMINISTIC));
        assertTrue(get("re_match").has(BuiltinDecl.Flag.DEPRECATED));
    }

    @Test
    void typeTextRoundTrips() {
        for (String t : List.of("any", "null | boolean | number | string", "array[array[string]]",
                "object[string: string | array[any]]", "set[[any, any]]", "[number, string, string]")) {
            assertEquals(t, Type.parse(t).toString());
        }
        assertThrows(IllegalArgumentException.class, () -> Type.parse("array[string"));
        assertThrows(IllegalArgumentException.class, () -> Type.parse("strin"));
        assertThrows(IllegalArgumentException.class, () -> Type.parse("string junk"));
    }

    @Test
    void operatorsAreFoundByTheirInfix() {
        assertEquals("plus", BuiltinTable.forCall("+").orElseThrow().name());
        assertEquals("pc_plus", BuiltinTable.forCall("+").orElseThrow().symbol());
        assertEquals("minus", BuiltinTable.forCall("-").orElseThrow().name());
        assertTrue(BuiltinTable.forCall("-").orElseThrow().arg(0).accepts("set"));
        assertEquals("or", BuiltinTable.forCall("|").orElseThrow().name());
        assertEquals("internal.member_2", BuiltinTable.forCall("in").orElseThrow().name());
        assertInstanceOf(Impl.Planner.class, BuiltinTable.forCall("==").orElseThrow().impl());
        assertEquals("count", BuiltinTable.forCall("count").orElseThrow().name());
    }

    @Test
    void nativeSymbolsFollowTheNamingRule() {
        assertEquals("pc_bi_object_get", get("object.get").symbol());
        assertEquals("pc_bi_count", get("count").symbol());
        assertThrows(IllegalStateException.class, () -> get("time.now_ns").symbol());
    }

    /** Every native builtin exists in the committed runtime with the shape generated code calls. */
    @Test
    void everyNativeSymbolIsExportedByTheRuntime() {
        RuntimeModule rt = RuntimeModule.load();
        List<String> missing = new ArrayList<>();
        for (BuiltinDecl b : BuiltinTable.all()) {
            if (!b.isNative()) {
                continue;
            }
            int idx;
            try {
                idx = rt.functionIndex(b.symbol());
            } catch (RuntimeException e) {
                missing.add(b.symbol());
                continue;
            }
            assertEquals(FuncType.i32s(b.arity()), rt.functionType(idx), b.name());
        }
        assertEquals(List.of(), missing, "native builtins missing from runtime.wasm");
    }
}
