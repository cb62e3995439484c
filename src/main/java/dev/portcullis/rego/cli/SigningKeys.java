package dev.portcullis.rego.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Reads PKCS#8 PEM private keys for bundle signing (Ed25519 or RSA, detected from the key). */
final class SigningKeys {
    private SigningKeys() {}

    /** The key id recorded in a signature when none is given: the key file name without its extension. */
    static String defaultKeyId(Path keyFile) {
        return keyFile.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    }

    static PrivateKey readPrivateKey(Path pem) {
        String text = new String(CliFiles.read(pem, "signing key"), StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new Main.CliException(Main.USAGE, "signing key " + pem
                    + " must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
        } catch (IllegalArgumentException e) {
            throw new Main.CliException(Main.USAGE, "signing key " + pem + " is not valid base64 PEM");
        }
        for (String alg : new String[] {"Ed25519", "RSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new Main.CliException(Main.USAGE, "signing key " + pem + " is neither an Ed25519 nor an RSA key");
    }
}
