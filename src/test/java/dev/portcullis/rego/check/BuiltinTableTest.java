package dev.portcullis.rego.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BuiltinTableTest {

    @Test
    void lookupAndArity() {
        assertEquals(1, Builtins.lookup("count").orElseThrow().arity());
        assertEquals(2, Builtins.lookup("startswith").orElseThrow().arity());
        assertEquals(3, Builtins.lookup("object.get").orElseThrow().arity());
        assertEquals(2, Builtins.lookup("numbers.range").orElseThrow().arity());
        assertTrue(Builtins.lookup("made_up_fn").isEmpty());
        assertTrue(Builtins.lookup("regex.match").isEmpty());
    }

    @Test
    void onlySprintfIsProvidedByTheHost() {
        Builtins.Builtin s = Builtins.lookup("sprintf").orElseThrow();
        assertTrue(s.host());
        assertEquals(2, s.arity());
        for (Builtins.Builtin b : Builtins.all().values()) {
            assertEquals(b.name().equals("sprintf"), b.host(), b.name());
        }
    }

    @Test
    void runtimeFunctionName() {
        assertEquals("pc_bi_object_get", Builtins.lookup("object.get").orElseThrow().runtimeFunction());
        assertEquals("pc_bi_count", Builtins.lookup("count").orElseThrow().runtimeFunction());
    }

    @Test
    void knownUnsupported() {
        assertTrue(Builtins.isKnownUnsupported("regex.match"));
        assertTrue(Builtins.isKnownUnsupported("time.now_ns"));
        assertTrue(Builtins.isKnownUnsupported("print"));
        assertTrue(Builtins.isKnownUnsupported("walk"));
        assertFalse(Builtins.isKnownUnsupported("made_up_fn"));
        assertFalse(Builtins.isKnownUnsupported("mypkg.helper"));
    }

    @Test
    void argumentTypes() {
        assertEquals("string|array|object|set", Builtins.argumentTypes("count", 0));
        assertEquals("any", Builtins.argumentTypes("count", 1));
        assertEquals("number", Builtins.argumentTypes("+", 1));
        assertEquals("number|set", Builtins.argumentTypes("-", 0));
        assertEquals("array|set", Builtins.argumentTypes("concat", 1));
        assertEquals("any", Builtins.argumentTypes("object.get", 2));
        assertEquals("any", Builtins.argumentTypes("no_such_builtin", 0));
        assertEquals("any", Builtins.argumentTypes("==", 0));
    }
}
