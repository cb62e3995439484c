package dev.portcullis.rego;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The compiler ({@code dev.portcullis.rego}) must stay usable without the service: none of its
 * compiled classes may refer to {@code dev.portcullis.gate} or to Quarkus. Every class reference
 * lands in the class file's constant pool in internal form ({@code io/quarkus/...}), so scanning the
 * compiled bytes finds imports, fully qualified uses and annotations alike.
 */
class CompilerIndependenceTest {

    private static final List<String> FORBIDDEN = List.of("dev/portcullis/gate", "io/quarkus");

    @Test
    void compilerClassesReferNeitherToTheGateNorToQuarkus() throws IOException {
        Path root = Path.of("target/classes/dev/portcullis/rego");
        assertTrue(Files.isDirectory(root), "compiled compiler classes expected under " + root);
        List<Path> classes;
        try (Stream<Path> s = Files.walk(root)) {
            classes = s.filter(p -> p.toString().endsWith(".class")).toList();
        }
        // the compiler has well over a hundred classes: a near-empty scan would prove nothing
        assertTrue(classes.size() > 100, "only " + classes.size() + " classes found under " + root);
        List<String> violations = new ArrayList<>();
        for (Path c : classes) {
            String bytes = new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1);
            for (String f : FORBIDDEN) {
                if (bytes.contains(f)) {
                    violations.add(root.relativize(c) + " refers to " + f.replace('/', '.'));
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void theScanRecognisesAReference() throws IOException {
        // guards the scan itself: a gate class does carry its own package in its constant pool
        Path gate = Path.of("target/classes/dev/portcullis/gate");
        assertTrue(Files.isDirectory(gate), "compiled gate classes expected under " + gate);
        try (Stream<Path> s = Files.walk(gate)) {
            Path any = s.filter(p -> p.toString().endsWith(".class")).findFirst().orElseThrow();
            String bytes = new String(Files.readAllBytes(any), StandardCharsets.ISO_8859_1);
            assertTrue(bytes.contains("dev/portcullis/gate"), any + " should name its own package");
        }
    }
}
