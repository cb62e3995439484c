package dev.portcullis.rego.tester;

import dev.portcullis.rego.diag.Position;

/**
 * One Rego test: a rule whose name starts with {@code test_} (or {@code todo_test_}, skipped), as
 * OPA's tester finds them. A name defined more than once in a package is one test per definition,
 * the later ones named {@code test_x#01}, {@code test_x#02}, ... as {@code opa test} names them.
 *
 * @param pkg        the package as a reference, e.g. {@code data.gate.access.request_test}
 * @param name       the test's name within the package (with its {@code #NN} suffix when duplicated)
 * @param entrypoint the compiled entrypoint that evaluates it (slash-separated)
 * @param location   where the definition starts
 * @param skip       a {@code todo_test_} rule: reported, never evaluated
 * @param cases      a partial-object rule ({@code test_x[name] := v}): one case per key, each must be true
 */
public record RegoTest(String pkg, String name, String entrypoint, Position location, boolean skip, boolean cases) {

    /** {@code data.<package>.<name>}: what {@code --run} matches and reports print. */
    public String fullName() {
        return pkg + "." + name;
    }
}
