package dev.portcullis.rego.loader;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.rego.RegoCompiler;
import dev.portcullis.rego.bundle.CanonicalJson;
import dev.portcullis.rego.bundle.DataMerger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a policy tree the way {@code opa build}/{@code opa test} load paths: {@code .rego} files are
 * modules (scanned recursively in sorted order), {@code data.json} files are base data placed at
 * their directory's path relative to the root. {@code *_test.rego} modules are included only for
 * tests.
 */
public final class PolicyFiles {

    /** The modules and data documents found under some paths. */
    public record Loaded(List<RegoCompiler.Source> sources, List<DataMerger.Placement> data) {
        public Loaded {
            sources = List.copyOf(sources);
            data = List.copyOf(data);
        }
    }

    /** A path that cannot be read as policy: the message names the file and what is wrong. */
    public static final class LoadException extends Exception {
        public LoadException(String message) {
            super(message);
        }

        public LoadException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private PolicyFiles() {}

    public static Loaded load(List<Path> roots, boolean withTests) throws LoadException {
        List<RegoCompiler.Source> sources = new ArrayList<>();
        List<DataMerger.Placement> data = new ArrayList<>();
        for (Path root : roots) {
            collect(root, sources, data, withTests);
        }
        return new Loaded(sources, data);
    }

    private static void collect(Path root, List<RegoCompiler.Source> sources, List<DataMerger.Placement> data,
            boolean withTests) throws LoadException {
        if (!Files.exists(root)) {
            throw new LoadException("path " + root + ": no such file or directory");
        }
        if (Files.isRegularFile(root)) {
            String name = root.getFileName().toString();
            if (name.endsWith(".rego")) {
                sources.add(new RegoCompiler.Source(root.toString(), readText(root)));
            } else if (name.equals("data.json")) {
                data.add(new DataMerger.Placement(List.of(), readJson(root), root.toString()));
            } else {
                throw new LoadException("path " + root + ": expected a .rego file, data.json or a directory");
            }
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new LoadException("cannot scan " + root + ": " + e.getMessage(), e);
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.endsWith(".rego") && (withTests || !name.endsWith("_test.rego"))) {
                sources.add(new RegoCompiler.Source(f.toString(), readText(f)));
            } else if (name.equals("data.json")) {
                Path rel = root.relativize(f.getParent() == null ? root : f.getParent());
                List<String> segs = new ArrayList<>();
                for (Path seg : rel) {
                    if (!seg.toString().isEmpty()) {
                        segs.add(seg.toString());
                    }
                }
                JsonNode value = readJson(f);
                if (segs.isEmpty() && !value.isObject()) {
                    throw new LoadException("data file " + f + " must contain a JSON object");
                }
                data.add(new DataMerger.Placement(segs, value, f.toString()));
            }
        }
    }

    static byte[] read(Path p, String what) throws LoadException {
        try {
            if (Files.isDirectory(p)) {
                throw new LoadException(what + " " + p + " is a directory, not a file");
            }
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new LoadException(what + " " + p + ": no such file");
        } catch (IOException e) {
            throw new LoadException("cannot read " + what + " " + p + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode readJson(Path p) throws LoadException {
        byte[] bytes = read(p, "data file");
        try {
            return CanonicalJson.parse(bytes);
        } catch (IOException e) {
            throw new LoadException("data file " + p + " is not valid JSON: " + CanonicalJson.describe(e), e);
        }
    }

    private static String readText(Path p) throws LoadException {
        byte[] bytes = read(p, "module");
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new LoadException("module " + p + " is not valid UTF-8");
        }
    }
}
