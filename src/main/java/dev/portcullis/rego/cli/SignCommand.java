package dev.portcullis.rego.cli;

import dev.portcullis.rego.bundle.Bundle;
import dev.portcullis.rego.bundle.BundleDigest;
import dev.portcullis.rego.bundle.BundleSigner;
import dev.portcullis.rego.bundle.BundleWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Signs an already built bundle, so that a release signs exactly the bundle CI built and tested (the build is
 * reproducible: the signed bundle differs from it only by {@code /.signatures.json}). Any previous signature is
 * replaced. The private key is read from a file and never written anywhere.
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {"Sign a bundle (.signatures.json in OPA's format), replacing any previous signature.",
            "Prints the signed bundle's SHA-256 and path."})
final class SignCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--signing-key", required = true, paramLabel = "PEM",
            description = "PKCS#8 PEM private key (Ed25519 or RSA).")
    Path signingKey;

    @Option(names = "--signing-key-id", paramLabel = "ID",
            description = "Key id recorded in the signature (default: the key file name without extension).")
    String signingKeyId;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Signed bundle to write.")
    Path output;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "Bundle (.tar.gz) to sign.")
    Path bundlePath;

    @Override
    public Integer call() {
        Bundle bundle = CliFiles.readBundle(bundlePath, CliFiles.read(bundlePath, "bundle"));
        String kid = signingKeyId != null ? signingKeyId : SigningKeys.defaultKeyId(signingKey);
        Bundle signed = BundleSigner.sign(bundle.withoutSignatures(), SigningKeys.readPrivateKey(signingKey), kid);
        byte[] bytes = BundleWriter.write(signed);
        BuildCommand.writeAtomically(output, bytes);
        spec.commandLine().getOut().println(BundleDigest.sha256Hex(bytes) + "  " + output);
        return Main.OK;
    }
}
