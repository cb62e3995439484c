package dev.portcullis.rego.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.rego.RegoCompiler;
import dev.portcullis.rego.bundle.Bundle;
import dev.portcullis.rego.bundle.BundleSigner;
import dev.portcullis.rego.bundle.BundleWriter;
import dev.portcullis.rego.bundle.DataConflictException;
import dev.portcullis.rego.bundle.DataMerger;
import dev.portcullis.rego.bundle.Manifest;
import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import dev.portcullis.rego.loader.PolicyFiles;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        description = {
            "Compile Rego to a WebAssembly bundle (.tar.gz with /.manifest, /policy.wasm, /data.json).",
            "PATHs are .rego files or directories, scanned recursively in sorted order: *.rego files except"
                    + " *_test.rego are modules; data.json files are merged into the bundle data at their"
                    + " directory path relative to the PATH."
        })
final class BuildCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--target"}, defaultValue = "wasm", paramLabel = "TARGET",
            description = "Output target; only 'wasm' is supported (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = {"-e", "--entrypoint"}, required = true, paramLabel = "PKG/RULE",
            description = "Entrypoint to compile, slash-separated (e.g. authz/allow); repeatable.")
    List<String> entrypoints;

    @Option(names = {"-o", "--output"}, defaultValue = "bundle.tar.gz", paramLabel = "FILE",
            description = "Bundle file to write (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = {"-r", "--revision"}, defaultValue = "", paramLabel = "REV",
            description = "Revision to record in the manifest.")
    String revision;

    @Option(names = "--signing-key", paramLabel = "PEM",
            description = "PKCS#8 PEM private key (Ed25519 or RSA) to sign the bundle with (.signatures.json, OPA's format).")
    Path signingKey;

    @Option(names = "--signing-key-id", paramLabel = "ID",
            description = "Key id recorded in the signature (default: the key file name without extension).")
    String signingKeyId;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = ".rego files or directories.")
    List<Path> paths;

    @Override
    public Integer call() {
        if (!"wasm".equals(target)) {
            throw new Main.CliException(Main.USAGE, "unsupported target '" + target + "' (only 'wasm' is supported)");
        }
        List<String> eps = new ArrayList<>();
        for (String e : new LinkedHashSet<>(entrypoints)) {
            String norm = normaliseEntrypoint(e);
            if (!eps.contains(norm)) {
                eps.add(norm);
            }
        }
        PolicyFiles.Loaded loaded = load(paths, false);
        List<RegoCompiler.Source> sources = loaded.sources();
        List<DataMerger.Placement> data = loaded.data();
        if (sources.isEmpty()) {
            throw new Main.CliException(Main.USAGE, "no .rego files found in " + paths);
        }
        ObjectNode merged;
        try {
            merged = DataMerger.merge(data);
        } catch (DataConflictException e) {
            throw new Main.CliException(Main.USAGE, e.getMessage(), e);
        }

        RegoCompiler.Result result;
        try {
            result = RegoCompiler.compile(sources, eps);
        } catch (CompileException e) {
            for (Diagnostic d : e.diagnostics()) {
                spec.commandLine().getErr().println(d);
            }
            spec.commandLine().getErr().println("error: compilation failed with " + e.diagnostics().size()
                    + (e.diagnostics().size() == 1 ? " error" : " errors") + "; no bundle written");
            return Main.USAGE;
        } catch (RuntimeException | StackOverflowError e) {
            throw new Main.CliException(Main.USAGE, "compiler failed: " + e + "; no bundle written", e);
        }

        Manifest manifest = Manifest.forEntrypoints(revision, result.entrypoints());
        Bundle bundle = Bundle.of(manifest, result.wasm(), merged);
        if (signingKey != null) {
            String kid = signingKeyId != null ? signingKeyId : SigningKeys.defaultKeyId(signingKey);
            bundle = BundleSigner.sign(bundle, SigningKeys.readPrivateKey(signingKey), kid);
        }
        byte[] bytes = BundleWriter.write(bundle);
        writeAtomically(output, bytes);
        return Main.OK;
    }

    static String normaliseEntrypoint(String e) {
        String s = e.trim();
        if (s.startsWith("data.")) {
            s = s.substring(5).replace('.', '/');
        }
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        if (s.isEmpty() || s.endsWith("/") || s.contains("//")) {
            throw new Main.CliException(Main.USAGE, "invalid entrypoint '" + e + "' (expected pkg/path/rule)");
        }
        return s;
    }

    /** The policy tree under {@code paths}, read errors as usage errors (exit 2). */
    static PolicyFiles.Loaded load(List<Path> paths, boolean withTests) {
        try {
            return PolicyFiles.load(paths, withTests);
        } catch (PolicyFiles.LoadException e) {
            throw new Main.CliException(Main.USAGE, e.getMessage(), e);
        }
    }

    static void writeAtomically(Path output, byte[] bytes) {
        Path abs = output.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            Files.write(tmp, bytes);
            // temp files are private; a bundle is meant to be read by the service's user too
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
            throw new Main.CliException(Main.USAGE, "cannot write " + output + ": " + e.getMessage(), e);
        }
    }
}
