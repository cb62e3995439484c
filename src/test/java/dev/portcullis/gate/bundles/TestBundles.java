package dev.portcullis.gate.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.engine.EngineConfig;
import dev.portcullis.gate.engine.PolicyEngine;
import dev.portcullis.rego.RegoCompiler;
import dev.portcullis.rego.bundle.Bundle;
import dev.portcullis.rego.bundle.BundleDigest;
import dev.portcullis.rego.bundle.BundleSigner;
import dev.portcullis.rego.bundle.BundleWriter;
import dev.portcullis.rego.bundle.Manifest;
import dev.portcullis.rego.wasm.FuncType;
import dev.portcullis.rego.wasm.WasmModule;
import dev.portcullis.rego.wasm.WasmReader;
import dev.portcullis.rego.wasm.WasmWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** Shared helpers: compile Rego, build/sign/write bundles, configs, an H2 database with the V2 migration. */
public final class TestBundles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, byte[]> COMPILED = new ConcurrentHashMap<>();

    /** {@code package p; rev := data.rev; allow if input.user == "alice"}; entrypoints p/rev, p/allow. */
    public static final String SIMPLE = """
            package p
            import rego.v1
            rev := data.rev
            allow if input.user == "alice"
            """;
    public static final List<String> SIMPLE_EPS = List.of("p/rev", "p/allow");

    private TestBundles() {}

    public static byte[] compile(String rego, List<String> entrypoints) {
        return COMPILED.computeIfAbsent(entrypoints + "\n" + rego, k -> RegoCompiler
                .compile(List.of(new RegoCompiler.Source("policy.rego", rego)), entrypoints).wasm());
    }

    public static Bundle bundle(String revision, byte[] wasm, List<String> entrypoints, JsonNode data, String metaName) {
        List<Manifest.WasmEntry> entries = new ArrayList<>();
        for (String e : entrypoints) {
            entries.add(new Manifest.WasmEntry(e, Manifest.POLICY_MODULE));
        }
        ObjectNode meta = null;
        if (metaName != null) {
            meta = JSON.createObjectNode().put("name", metaName);
        }
        return Bundle.of(new Manifest(revision, null, entries, meta), wasm, data);
    }

    /** A SIMPLE bundle whose {@code p/rev} answers {@code revision}. */
    public static Bundle simple(String revision) {
        return simple(revision, null);
    }

    public static Bundle simple(String revision, String metaName) {
        return bundle(revision, compile(SIMPLE, SIMPLE_EPS), SIMPLE_EPS,
                JSON.createObjectNode().put("rev", revision), metaName);
    }

    /** A BundleVersion for engine tests (not loaded through a registry). */
    public static BundleVersion version(String name, Bundle b) {
        byte[] bytes = bytes(b);
        return new BundleVersion(name, b.manifest().revision(), sha(bytes), null, false, java.time.Instant.now(), "test",
                b.manifest().entrypoints(), b, b.policyWasm());
    }

    public static byte[] bytes(Bundle b) {
        return BundleWriter.write(b);
    }

    public static Bundle sign(Bundle b, PrivateKey key, String kid) {
        return BundleSigner.sign(b, key, kid);
    }

    public static Path write(Path root, String name, String fileRevision, byte[] tarGz) {
        try {
            Path dir = Files.createDirectories(root.resolve(name));
            Path f = dir.resolve(fileRevision + ".tar.gz");
            Path tmp = dir.resolve("." + UUID.randomUUID() + ".tmp");
            Files.write(tmp, tarGz);
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path writeSidecar(Path bundleFile, String hex) throws IOException {
        return Files.writeString(bundleFile.resolveSibling(bundleFile.getFileName() + ".sha256"),
                hex + "  " + bundleFile.getFileName() + "\n");
    }

    public static String sha(byte[] b) {
        return BundleDigest.sha256Hex(b);
    }

    public static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A syntactically valid Wasm module with one exported function "foo" and none of the OPA ABI. */
    public static byte[] nonOpaWasm() {
        return new byte[] {
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
            0x03, 0x02, 0x01, 0x00, // function section: 1 function of type 0
            0x07, 0x07, 0x01, 0x03, 'f', 'o', 'o', 0x00, 0x00, // export "foo" func 0
            0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b // code: empty body
        };
    }

    /**
     * {@code wasm} with a start function appended whose body is {@code body} (locals and
     * instructions, ending with {@code end}): the module runs it when it is instantiated.
     */
    public static byte[] withStartFunction(byte[] wasm, byte... body) {
        WasmModule m = WasmReader.read(wasm);
        int type = m.internType(FuncType.returningNothing());
        m.functions = new ArrayList<>(m.functions);
        m.code = new ArrayList<>(m.code);
        m.functions.add(type);
        m.code.add(body);
        m.start = m.importedFunctionCount() + m.functions.size() - 1;
        return WasmWriter.write(m);
    }

    /** Start function body {@code loop br 0 end}: instantiation never returns by itself. */
    public static final byte[] LOOP_FOREVER = {0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b};
    /** Start function body {@code unreachable}: instantiation traps. */
    public static final byte[] TRAP = {0x00, 0x00, 0x0b};

    /** A SIMPLE bundle whose module's start function runs {@code body}. */
    public static Bundle simpleWithStart(String revision, String metaName, byte[] body) {
        return bundle(revision, withStartFunction(compile(SIMPLE, SIMPLE_EPS), body), SIMPLE_EPS,
                JSON.createObjectNode().put("rev", revision), metaName);
    }

    // ------------------------------------------------------------------ config

    /** A mutable BundlesConfig. */
    public static final class Config implements BundlesConfig {
        public String dir;
        public boolean requireSignature;
        public List<String> publicKeys = new ArrayList<>();
        public Map<String, String> publicKeyPem = new HashMap<>();
        public Map<String, String> active = new HashMap<>();
        public String defaultName = "portcullis";

        public Config(Path dir) {
            this.dir = dir.toString();
        }

        @Override
        public String dir() {
            return dir;
        }

        @Override
        public boolean requireSignature() {
            return requireSignature;
        }

        @Override
        public Optional<List<String>> publicKeys() {
            return publicKeys.isEmpty() ? Optional.empty() : Optional.of(publicKeys);
        }

        @Override
        public Map<String, String> publicKeyPem() {
            return publicKeyPem;
        }

        @Override
        public Map<String, String> active() {
            return active;
        }

        @Override
        public Duration pollInterval() {
            return Duration.ofSeconds(2);
        }

        @Override
        public String defaultName() {
            return defaultName;
        }

        @Override
        public int shadowHistory() {
            return 50;
        }

        @Override
        public int rejectionHistory() {
            return 100;
        }
    }

    public static PolicyEngine engine(int poolSize, Duration timeout) {
        return new PolicyEngine(EngineConfig.of(poolSize, timeout, Duration.ofSeconds(10), 160), new SimpleMeterRegistry());
    }

    // ------------------------------------------------------------------ database

    /** A fresh in-memory H2 database with the bundle registry's migrations applied. */
    public static DataSource database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:bundles-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String migration : List.of("V2__bundle_activation.sql", "V3_5__replicas.sql")) {
                try (InputStream in = TestBundles.class.getResourceAsStream("/db/migration/" + migration)) {
                    String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
                    for (String s : sql.split(";")) {
                        if (!s.isBlank()) {
                            st.execute(s);
                        }
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the test database", e);
        }
        return ds;
    }
}
