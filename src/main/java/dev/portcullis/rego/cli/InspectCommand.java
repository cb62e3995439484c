package dev.portcullis.rego.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.rego.bundle.Bundle;
import dev.portcullis.rego.bundle.BundleDigest;
import dev.portcullis.rego.bundle.BundleFormatException;
import dev.portcullis.rego.bundle.BundleReader;
import dev.portcullis.rego.bundle.CanonicalJson;
import dev.portcullis.rego.bundle.Manifest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a bundle's revision, entrypoints, SHA-256 digest and files.")
final class InspectCommand implements Callable<Integer> {

    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--format"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "Bundle (.tar.gz).")
    Path bundlePath;

    @Override
    public Integer call() {
        byte[] bytes = CliFiles.read(bundlePath, "bundle");
        Bundle bundle = CliFiles.readBundle(bundlePath, bytes);
        List<BundleReader.FileEntry> files;
        try {
            files = BundleReader.list(bytes);
        } catch (BundleFormatException e) {
            throw new Main.CliException(Main.USAGE, "bundle " + bundlePath + ": " + e.getMessage(), e);
        }
        String digest = BundleDigest.sha256Hex(bytes);
        Manifest m = bundle.manifest();
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("path", bundlePath.toString());
            o.put("sha256", digest);
            o.put("size", bytes.length);
            o.put("revision", m.revision());
            if (m.roots() != null) {
                ArrayNode r = o.putArray("roots");
                m.roots().forEach(r::add);
            }
            ArrayNode eps = o.putArray("entrypoints");
            for (Manifest.WasmEntry e : m.wasm()) {
                eps.addObject().put("entrypoint", e.entrypoint()).put("module", e.module());
            }
            if (m.metadata() != null) {
                o.set("metadata", m.metadata());
            }
            o.put("signed", bundle.signaturesJson().isPresent());
            ArrayNode fs = o.putArray("files");
            for (BundleReader.FileEntry f : files) {
                fs.addObject().put("name", f.name()).put("size", f.size());
            }
            try {
                out.println(CanonicalJson.MAPPER.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(CanonicalJson.MAPPER.readTree(CanonicalJson.toBytes(o))));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return Main.OK;
        }
        out.println("Bundle:      " + bundlePath);
        out.println("Size:        " + human(bytes.length));
        out.println("SHA-256:     " + digest);
        out.println("Revision:    " + (m.revision().isEmpty() ? "(none)" : m.revision()));
        out.println("Roots:       " + (m.roots() == null ? "(not set)" : String.join(", ", m.roots().stream()
                .map(r -> r.isEmpty() ? "\"\"" : r).toList())));
        out.println("Signed:      " + (bundle.signaturesJson().isPresent() ? "yes (not verified)" : "no"));
        out.println("Entrypoints:");
        for (Manifest.WasmEntry e : m.wasm()) {
            out.println("  " + e.entrypoint() + "  (" + e.module() + ")");
        }
        out.println("Files:");
        int width = files.stream().mapToInt(f -> f.name().length()).max().orElse(0);
        for (BundleReader.FileEntry f : files) {
            out.println("  " + pad(f.name(), width) + "  " + human(f.size()));
        }
        return Main.OK;
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    static String human(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        String[] units = {"KiB", "MiB", "GiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%d bytes)", v, units[u], n);
    }
}
