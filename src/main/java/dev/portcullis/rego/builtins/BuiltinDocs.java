package dev.portcullis.rego.builtins;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Renders {@code docs/builtins.md} from {@link BuiltinTable}. {@code BuiltinDocsTest} fails when
 * the committed file differs; {@code main} rewrites it.
 */
public final class BuiltinDocs {

    public static final Path FILE = Path.of("docs", "builtins.md");

    private BuiltinDocs() {}

    public static String render() {
        Collection<BuiltinDecl> all = BuiltinTable.all();
        StringBuilder sb = new StringBuilder();
        sb.append("# Builtin functions\n\n");
        sb.append("Generated from `dev.portcullis.rego.builtins.BuiltinTable` by `BuiltinDocs` "
                + "(regenerate: `./mvnw -o -q test -Dtest=BuiltinDocsTest -Dbuiltins.docs.write=true`). "
                + "Do not edit by hand.\n\n");
        sb.append("Every builtin of OPA's Rego (v1.14 capabilities) is listed with OPA's argument and result types. "
                + "Where it runs:\n\n");
        sb.append("- **native**: a function of the C runtime inside the policy module (no host call);\n");
        sb.append("- **host**: provided by the host through `opa_builtinN` (opa-java-wasm: "
                + "`dev.portcullis.rego.host.HostBuiltins.all()`; the npm SDK has its own);\n");
        sb.append("- **compiler**: lowered by the compiler itself (operators, unification, membership);\n");
        sb.append("- **not yet**: a call fails compilation with `unsupported builtin <name>`;\n");
        sb.append("- **removed in v1**: deprecated in OPA and not part of Rego v1 (an undefined function, as in OPA 1.x).\n\n");
        sb.append(String.format("Totals: %d native, %d host, %d compiler, %d not yet, %d removed in v1.%n%n",
                count(all, "native"), count(all, "host"), count(all, "compiler"), count(all, "not yet"),
                count(all, "removed in v1")));
        sb.append("| builtin | arguments | result | runs |\n");
        sb.append("|---|---|---|---|\n");
        for (BuiltinDecl b : all) {
            String name = "`" + b.name() + "`" + (b.infix() != null ? " (`" + b.infix() + "`)" : "");
            String args = b.has(BuiltinDecl.Flag.VARIADIC) ? "`any...`"
                    : b.args().stream().map(t -> "`" + t + "`").collect(Collectors.joining(", "));
            String result = b.result() == null ? "" : "`" + b.result() + "`";
            sb.append("| ").append(name).append(" | ").append(escape(args)).append(" | ").append(escape(result))
                    .append(" | ").append(where(b)).append(" |\n");
        }
        return sb.toString();
    }

    /** Table cells may not contain a bare '|'. */
    private static String escape(String s) {
        return s.replace("|", "\\|");
    }

    static String where(BuiltinDecl b) {
        if (b.has(BuiltinDecl.Flag.DEPRECATED)) {
            return "removed in v1";
        }
        if (b.impl() instanceof Impl.Native n) {
            return "native";
        } else if (b.impl() instanceof Impl.Host) {
            return "host";
        } else if (b.impl() instanceof Impl.Planner) {
            return "compiler";
        }
        return "not yet";
    }

    private static long count(Collection<BuiltinDecl> all, String where) {
        return all.stream().filter(b -> where(b).equals(where)).count();
    }

    /** Writes the rendered table to {@code docs/builtins.md} under the given project directory. */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Files.writeString(root.resolve(FILE), render(), StandardCharsets.UTF_8);
    }
}
