package dev.portcullis.gate.bundles;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bundle registry settings ({@code portcullis.bundles.*}).
 *
 * <ul>
 *   <li>{@code dir} (env {@code PORTCULLIS_BUNDLES_DIR}): root of {@code <name>/<revision>.tar.gz}; default "bundles".</li>
 *   <li>{@code require-signature}: reject unsigned bundles (default false; {@code %prod} sets it true).</li>
 *   <li>{@code public-keys}: comma-separated paths of PEM public keys (SPKI, Ed25519 or RSA); the key id is the file
 *       name without {@code .pem}/{@code .pub} extensions.</li>
 *   <li>{@code public-key-pem.<keyid>}: inline PEM public keys by key id.</li>
 *   <li>{@code active.<name>}: revision to activate at startup when the database has no recorded choice.</li>
 *   <li>{@code poll-interval}: directory scan period (default 2s).</li>
 *   <li>{@code default-name}: bundle name for uploads whose manifest has no {@code metadata.name} (default "portcullis").</li>
 *   <li>{@code shadow-history}: differences kept in memory per bundle (default 50).</li>
 *   <li>{@code rejection-history}: rejections kept in memory (default 100).</li>
 * </ul>
 */
@ConfigMapping(prefix = "portcullis.bundles")
public interface BundlesConfig {

    @WithDefault("bundles")
    String dir();

    @WithDefault("false")
    boolean requireSignature();

    Optional<List<String>> publicKeys();

    Map<String, String> publicKeyPem();

    Map<String, String> active();

    @WithDefault("2s")
    Duration pollInterval();

    @WithDefault("portcullis")
    String defaultName();

    @WithDefault("50")
    int shadowHistory();

    @WithDefault("100")
    int rejectionHistory();
}
