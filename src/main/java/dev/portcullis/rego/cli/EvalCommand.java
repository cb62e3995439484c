package dev.portcullis.rego.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.styra.opa.wasm.OpaAbortException;
import com.styra.opa.wasm.OpaPolicy;
import dev.portcullis.rego.bundle.Bundle;
import dev.portcullis.rego.bundle.CanonicalJson;
import dev.portcullis.rego.bundle.DataConflictException;
import dev.portcullis.rego.bundle.DataMerger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import dev.portcullis.rego.host.HostBuiltins;

@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate an entrypoint of a bundle's policy.wasm and print the result set as JSON,"
                    + " e.g. [{\"result\":true}] ([] when undefined).",
            "Exit 1 when evaluation fails (e.g. a runtime conflict error), 2 on bad arguments or files."
        })
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-b", "--bundle"}, required = true, paramLabel = "BUNDLE", description = "Bundle (.tar.gz).")
    Path bundlePath;

    @Option(names = {"-e", "--entrypoint"}, paramLabel = "PKG/RULE",
            description = "Entrypoint to evaluate (may be omitted when the bundle has exactly one).")
    String entrypoint;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Input document (JSON). Without it, input is undefined.")
    Path inputPath;

    @Option(names = {"-d", "--data"}, paramLabel = "FILE",
            description = "Extra base data (JSON object) merged over the bundle's data at the root; repeatable.")
    List<Path> dataPaths = new ArrayList<>();

    @Override
    public Integer call() {
        byte[] bytes = CliFiles.read(bundlePath, "bundle");
        Bundle bundle = CliFiles.readBundle(bundlePath, bytes);
        List<String> available = bundle.manifest().entrypoints();
        String ep;
        if (entrypoint == null) {
            if (available.size() != 1) {
                throw new Main.CliException(Main.USAGE, "missing -e/--entrypoint; the bundle has " + available);
            }
            ep = available.get(0);
        } else {
            ep = BuildCommand.normaliseEntrypoint(entrypoint);
            if (!available.contains(ep)) {
                throw new Main.CliException(Main.USAGE, "entrypoint '" + ep + "' is not in the bundle; available: "
                        + String.join(", ", available));
            }
        }

        List<DataMerger.Placement> placements = new ArrayList<>();
        placements.add(new DataMerger.Placement(List.of(), bundle.data(), bundlePath + ":/data.json"));
        for (Path d : dataPaths) {
            JsonNode value = CliFiles.readJson(d, "data file");
            if (!value.isObject()) {
                throw new Main.CliException(Main.USAGE, "data file " + d + " must contain a JSON object");
            }
            placements.add(new DataMerger.Placement(List.of(), value, d.toString()));
        }
        ObjectNode data;
        try {
            data = DataMerger.merge(placements);
        } catch (DataConflictException e) {
            throw new Main.CliException(Main.USAGE, e.getMessage(), e);
        }
        String input = inputPath == null ? null : CanonicalJson.toString(CliFiles.readJson(inputPath, "input file"));

        OpaPolicy policy;
        try {
            // one evaluation: Chicory's interpreter starts ~3 s sooner than compiling the module to bytecode
            policy = OpaPolicy.builder().withPolicy(bundle.policyWasm()).addBuiltins(HostBuiltins.all())
                    .disableCompiler().build();
        } catch (RuntimeException | LinkageError e) {
            throw new Main.CliException(Main.USAGE, "bundle " + bundlePath + ": cannot load policy.wasm: " + message(e), e);
        }
        String result;
        try {
            policy.data(CanonicalJson.toString(data));
            policy.entrypoint(ep);
            // Without -i the input is left unset: the SDK then passes a NULL input address, so
            // `input` is undefined in the policy (as with `opa eval` without --input).
            result = input == null ? policy.evaluate() : policy.evaluate(input);
        } catch (OpaAbortException e) {
            throw new Main.CliException(Main.EVAL_FAILED, "evaluation of " + ep + " aborted: " + message(e), e);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new Main.CliException(Main.EVAL_FAILED, "evaluation of " + ep + " failed: " + message(e), e);
        }
        spec.commandLine().getOut().println(result == null ? "[]" : result.trim());
        return Main.OK;
    }

    static String message(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 2000; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.isBlank()) {
                m = t.getClass().getSimpleName();
            }
            if (sb.indexOf(m) < 0) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(m);
            }
        }
        return sb.toString();
    }
}
