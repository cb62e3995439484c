package dev.portcullis.rego.wasm;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** A function signature. Lists are copied and immutable. */
public record FuncType(List<ValType> params, List<ValType> results) {

    public FuncType {
        params = List.copyOf(Objects.requireNonNull(params, "params"));
        results = List.copyOf(Objects.requireNonNull(results, "results"));
    }

    public static FuncType of(List<ValType> params, List<ValType> results) {
        return new FuncType(params, results);
    }

    /** {@code (params...) -> result}. */
    public static FuncType returning(ValType result, ValType... params) {
        return new FuncType(Arrays.asList(params), List.of(result));
    }

    /** {@code (params...) -> ()}. */
    public static FuncType returningNothing(ValType... params) {
        return new FuncType(Arrays.asList(params), List.of());
    }

    /** {@code (i32 x paramCount) -> i32}: the common shape of runtime calls. */
    public static FuncType i32s(int paramCount) {
        return new FuncType(java.util.Collections.nCopies(paramCount, ValType.I32), List.of(ValType.I32));
    }

    @Override
    public String toString() {
        return params + " -> " + results;
    }
}
