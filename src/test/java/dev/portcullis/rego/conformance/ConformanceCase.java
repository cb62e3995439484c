package dev.portcullis.rego.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.rego.RegoCompiler;
import java.util.ArrayList;
import java.util.List;

/**
 * One conformance case from {@code src/test/resources/conformance/*.yaml}.
 *
 * @param input       the input document, or {@code null} when the case has no {@code input} key
 *                    (input is then <em>undefined</em>; an explicit {@code input: null} is the JSON null)
 * @param problem     why the case is malformed, or {@code null}
 * @param hostBuiltins the case calls host builtins ({@code host_builtins: true}): the npm SDK has
 *                    none of Portcullis' host builtins, so its cross-check skips the case
 */
record ConformanceCase(
        String file,
        int index,
        String name,
        List<String> modules,
        JsonNode data,
        JsonNode input,
        String query,
        JsonNode wantResult,
        String wantError,
        String wantCompileError,
        Integer wantCompileErrorLine,
        String note,
        String problem,
        boolean hostBuiltins) {

    enum Kind { RESULT, ERROR, COMPILE_ERROR }

    Kind kind() {
        if (wantCompileError != null) {
            return Kind.COMPILE_ERROR;
        }
        return wantError != null ? Kind.ERROR : Kind.RESULT;
    }

    boolean hasInput() {
        return input != null;
    }

    /** Module sources named {@code <case name>/module-<N>.rego}, N from 1. */
    List<RegoCompiler.Source> sources() {
        List<RegoCompiler.Source> out = new ArrayList<>();
        for (int i = 0; i < modules.size(); i++) {
            out.add(new RegoCompiler.Source(name + "/module-" + (i + 1) + ".rego", modules.get(i)));
        }
        return out;
    }

    String displayName() {
        return name + " [" + file + "#" + index + "]";
    }
}
