package dev.portcullis.rego.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.styra.opa.wasm.OpaPolicy;
import dev.portcullis.rego.RegoCompiler;
import dev.portcullis.rego.loader.PolicyFiles;
import java.nio.file.Path;
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
 * The realistic policy (ChangePolicy: ~20 rules, partial sets, comprehensions, every, sprintf, a
 * 3 KB input) through OpaPolicy on one thread, next to the demo policy in the same JVM so the two
 * can be compared as a ratio; and a warm compile of everything under {@code policies/}.
 * Run: see docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChangePolicyBench {

    OpaPolicy change;
    OpaPolicy demo;
    String[] inputs;
    int next;
    PolicyFiles.Loaded policies;
    List<String> entrypoints;

    @Setup
    public void setup() throws Exception {
        change = OpaPolicy.builder().withPolicy(ChangePolicy.compile()).build();
        change.data(ChangePolicy.DATA);
        change.entrypoint(ChangePolicy.ENTRYPOINT);
        // half allowed, half denied for different reasons, so no single path is measured
        inputs = new String[4];
        inputs[0] = ChangePolicy.json(ChangePolicy.approvableChange(1));
        ObjectNode noBackup = ChangePolicy.approvableChange(2);
        ((ObjectNode) noBackup.get("change").get("resources").get(0)).remove("backup_verified");
        inputs[1] = ChangePolicy.json(noBackup);
        inputs[2] = ChangePolicy.json(ChangePolicy.approvableChange(3));
        ObjectNode late = ChangePolicy.approvableChange(4);
        ((ObjectNode) late.get("change")).put("submitted_at", "2026-12-02T23:00:00Z");
        inputs[3] = ChangePolicy.json(late);
        demo = DemoPolicyBench.load(DemoPolicyBench.compile());
        policies = PolicyFiles.load(List.of(Path.of("policies")), false);
        entrypoints = List.of("gate/access/request/decision", "gate/incidents/transition/decision");
    }

    @Benchmark
    public String evalChange() {
        next = (next + 1) & 3;
        return change.evaluate(inputs[next]);
    }

    @Benchmark
    public String evalDemo() {
        next = (next + 1) & 3;
        return demo.evaluate((next & 1) == 0 ? DemoPolicyBench.ALICE : DemoPolicyBench.BOB);
    }

    @Benchmark
    public byte[] compileAllPolicies() {
        return RegoCompiler.compile(policies.sources(), entrypoints).wasm();
    }
}
