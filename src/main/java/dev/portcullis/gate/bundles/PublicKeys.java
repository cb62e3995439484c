package dev.portcullis.gate.bundles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads PEM (SPKI, "BEGIN PUBLIC KEY") Ed25519 or RSA public keys. */
public final class PublicKeys {

    private PublicKeys() {}

    /** Keys from {@code portcullis.bundles.public-keys} files and {@code public-key-pem.<id>} entries, by key id. */
    public static Map<String, PublicKey> load(BundlesConfig config) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (String p : config.publicKeys().orElse(List.of())) {
            if (p == null || p.isBlank()) {
                continue;
            }
            Path path = Path.of(p.trim());
            try {
                keys.put(keyId(path), parse(Files.readString(path, StandardCharsets.US_ASCII)));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot load bundle public key " + path + ": " + e.getMessage(), e);
            }
        }
        config.publicKeyPem().forEach((id, pem) -> {
            try {
                keys.put(id, parse(pem));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("cannot parse portcullis.bundles.public-key-pem." + id + ": "
                        + e.getMessage(), e);
            }
        });
        return keys;
    }

    /** The key id of a key file: its name without {@code .pem}, {@code .pub}, {@code .key} extensions. */
    public static String keyId(Path file) {
        String n = file.getFileName().toString();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String ext : new String[] {".pem", ".pub", ".key", ".crt"}) {
                if (n.length() > ext.length() && n.toLowerCase().endsWith(ext)) {
                    n = n.substring(0, n.length() - ext.length());
                    changed = true;
                }
            }
        }
        return n;
    }

    /** Parses a PEM (or bare base64 DER) SubjectPublicKeyInfo as Ed25519 or RSA. */
    public static PublicKey parse(String pem) {
        String b64 = pem.replaceAll("-----(BEGIN|END)[A-Z ]*-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a PEM public key (bad base64)", e);
        }
        for (String alg : new String[] {"Ed25519", "RSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("not an Ed25519 or RSA public key (SubjectPublicKeyInfo)");
    }

    /** PEM text of a public key (for tests and tools). */
    public static String toPem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
