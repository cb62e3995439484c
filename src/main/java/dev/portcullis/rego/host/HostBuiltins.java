package dev.portcullis.rego.host;

import com.styra.opa.wasm.OpaBuiltin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The builtins Portcullis-compiled policies import from their host ({@code opa_builtin0..4}),
 * for opa-java-wasm: {@code OpaPolicy.builder().addBuiltins(HostBuiltins.all())}. These are the
 * builtins where Java's libraries are the sound implementation (signature verification, X.509,
 * parsing of foreign formats). Each is declared as a host builtin in
 * {@code dev.portcullis.rego.builtins.BuiltinTable}; {@code HostBuiltinsTest} keeps the two in step.
 *
 * <p>Semantics are OPA's evaluator's (topdown), without strict builtin errors: where OPA's builtin
 * returns an error, the call is undefined here.
 */
public final class HostBuiltins {

    private HostBuiltins() {}

    /** A fresh array of every host builtin (safe to share between policies and threads). */
    public static OpaBuiltin.Builtin[] all() {
        return functions().toArray(OpaBuiltin.Builtin[]::new);
    }

    /** The names of {@link #all()}. */
    public static List<String> names() {
        return functions().stream().map(HostFunction::name).toList();
    }

    static List<HostFunction> functions() {
        List<HostFunction> f = new ArrayList<>();
        f.add(new HostFunction("io.jwt.decode", 1, a -> Jwt.decode(a.get(0))));
        for (String bits : List.of("256", "384", "512")) {
            String digest = "SHA-" + bits;
            f.add(new HostFunction("io.jwt.verify_hs" + bits, 2, a -> Jwt.verifyHmac(digest, a.get(0), a.get(1))));
            f.add(new HostFunction("io.jwt.verify_rs" + bits, 2,
                    a -> Jwt.verifyAsymmetric(Jwt.Family.RSA, digest, a.get(0), a.get(1))));
            f.add(new HostFunction("io.jwt.verify_ps" + bits, 2,
                    a -> Jwt.verifyAsymmetric(Jwt.Family.PSS, digest, a.get(0), a.get(1))));
            f.add(new HostFunction("io.jwt.verify_es" + bits, 2,
                    a -> Jwt.verifyAsymmetric(Jwt.Family.ECDSA, digest, a.get(0), a.get(1))));
        }
        f.add(new HostFunction("io.jwt.verify_eddsa", 2,
                a -> Jwt.verifyAsymmetric(Jwt.Family.EDDSA, null, a.get(0), a.get(1))));
        f.add(new HostFunction("io.jwt.decode_verify", 2, a -> Jwt.decodeVerify(a.get(0), a.get(1), nowNanos())));
        f.add(new HostFunction("io.jwt.encode_sign", 3, a -> Jwt.encodeSign(a.get(0), a.get(1), a.get(2))));
        f.add(new HostFunction("io.jwt.encode_sign_raw", 3, a -> Jwt.encodeSignRaw(a.get(0), a.get(1), a.get(2))));
        f.add(HostFunction.replacing("providers.aws.sign_req", 3, "headers",
                a -> AwsSigV4.signedHeaders(a.get(0), a.get(1), a.get(2))));
        return f;
    }

    private static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
