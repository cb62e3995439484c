package dev.portcullis.rego.bench;

import com.styra.opa.wasm.OpaPolicy;
import dev.portcullis.rego.RegoCompiler;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Our compiled demo policy against the OPA-built demo-policy.wasm shipped in opa-java-wasm (built
 * from the same source), in one JVM: per-decision evaluation, instantiation, and compile time.
 * Run: see docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DemoPolicyBench {

    static final String SOURCE = """
            package opa.wasm.test
            default allowed := false
            allowed if {
                user := input.user
                data.role[user] == "admin"
            }
            """;
    static final String DATA = "{\"role\":{\"alice\":\"admin\",\"bob\":\"user\"}}";
    static final String ALICE = "{\"user\":\"alice\"}";
    static final String BOB = "{\"user\":\"bob\"}";

    byte[] ours;
    byte[] opa;
    OpaPolicy oursPolicy;
    OpaPolicy opaPolicy;
    boolean flip;

    @Setup
    public void setup() throws IOException {
        ours = compile();
        try (InputStream in = OpaPolicy.class.getResourceAsStream("/demo-policy.wasm")) {
            opa = in.readAllBytes();
        }
        oursPolicy = load(ours);
        opaPolicy = load(opa);
    }

    static byte[] compile() {
        return RegoCompiler.compile(List.of(new RegoCompiler.Source("demo.rego", SOURCE)),
                List.of("opa/wasm/test/allowed")).wasm();
    }

    static OpaPolicy load(byte[] wasm) {
        OpaPolicy p = OpaPolicy.builder().withPolicy(wasm).build();
        p.data(DATA);
        p.entrypoint("opa/wasm/test/allowed");
        return p;
    }

    private String nextInput() {
        flip = !flip;
        return flip ? ALICE : BOB;
    }

    @Benchmark
    public String evalOurs() {
        return oursPolicy.evaluate(nextInput());
    }

    @Benchmark
    public String evalOpa() {
        return opaPolicy.evaluate(nextInput());
    }

    @Benchmark
    public OpaPolicy instantiateOurs() {
        return OpaPolicy.builder().withPolicy(ours).build();
    }

    @Benchmark
    public OpaPolicy instantiateOpa() {
        return OpaPolicy.builder().withPolicy(opa).build();
    }

    @Benchmark
    public byte[] compileDemo() {
        return compile();
    }
}
