package dev.portcullis.rego.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.rego.bundle.Bundle;
import dev.portcullis.rego.bundle.BundleFormatException;
import dev.portcullis.rego.bundle.BundleReader;
import dev.portcullis.rego.bundle.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** File reading with user-facing errors (exit code 2). */
final class CliFiles {
    private CliFiles() {}

    static byte[] read(Path p, String what) {
        try {
            if (Files.isDirectory(p)) {
                throw new Main.CliException(Main.USAGE, what + " " + p + " is a directory, not a file");
            }
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new Main.CliException(Main.USAGE, what + " " + p + ": no such file");
        } catch (IOException e) {
            throw new Main.CliException(Main.USAGE, "cannot read " + what + " " + p + ": " + e.getMessage(), e);
        }
    }

    static JsonNode readJson(Path p, String what) {
        byte[] bytes = read(p, what);
        try {
            return CanonicalJson.parse(bytes);
        } catch (IOException e) {
            throw new Main.CliException(Main.USAGE, what + " " + p + " is not valid JSON: " + CanonicalJson.describe(e), e);
        }
    }

    static Bundle readBundle(Path p, byte[] bytes) {
        try {
            return BundleReader.read(bytes);
        } catch (BundleFormatException e) {
            throw new Main.CliException(Main.USAGE, "bundle " + p + ": " + e.getMessage(), e);
        }
    }
}
