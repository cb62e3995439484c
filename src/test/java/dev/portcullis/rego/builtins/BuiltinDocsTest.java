package dev.portcullis.rego.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BuiltinDocsTest {

    @Test
    void committedDocMatchesTheTable() throws Exception {
        Path file = BuiltinDocs.FILE;
        String want = BuiltinDocs.render();
        if (Boolean.getBoolean("builtins.docs.write")) {
            Files.writeString(file, want, StandardCharsets.UTF_8);
        }
        String have = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        assertEquals(want, have, "docs/builtins.md is stale: run ./mvnw -o -q test -Dtest=BuiltinDocsTest "
                + "-Dbuiltins.docs.write=true and commit it");
    }
}
