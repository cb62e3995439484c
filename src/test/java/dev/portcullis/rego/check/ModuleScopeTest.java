package dev.portcullis.rego.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.rego.syntax.Parser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleScopeTest {

    private static ModuleScope scope(String src) {
        return ModuleScope.of(Parser.parse("s.rego", src));
    }

    @Test
    void packageAndFile() {
        ModuleScope s = scope("package x.y.z\n");
        assertEquals("s.rego", s.file());
        assertEquals(List.of("x", "y", "z"), s.pkg());
        assertTrue(s.aliases().isEmpty());
    }

    @Test
    void importAliases() {
        ModuleScope s = scope("package t\n"
                + "import data.a.b\n"
                + "import data.a.b as c\n"
                + "import input.x\n"
                + "import input.req.user as u\n");
        assertEquals(Map.of(
                "b", List.of("data", "a", "b"),
                "c", List.of("data", "a", "b"),
                "x", List.of("input", "x"),
                "u", List.of("input", "req", "user")), s.aliases());
    }

    @Test
    void syntaxImportsBindNothing() {
        ModuleScope s = scope("package t\nimport rego.v1\nimport future.keywords.in\nimport future.keywords\n");
        assertTrue(s.aliases().isEmpty(), s.aliases()::toString);
        assertFalse(s.aliases().containsKey("in"));
        assertFalse(s.aliases().containsKey("v1"));
    }

    @Test
    void bareRootImportsBindNothingUnlessAliased() {
        ModuleScope s = scope("package t\nimport input\nimport data\n");
        assertTrue(s.aliases().isEmpty(), s.aliases()::toString);
    }
}
