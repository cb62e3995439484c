package dev.portcullis.rego.wasm;

import java.util.List;
import java.util.Objects;

/**
 * A function to add to (or substitute into) the module. {@code locals} excludes the parameters, so
 * local index {@code type.params().size()} is the first entry of {@code locals}.
 */
public record GeneratedFunction(String name, FuncType type, List<ValType> locals, Code body) {

    public GeneratedFunction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        locals = List.copyOf(Objects.requireNonNull(locals, "locals"));
        Objects.requireNonNull(body, "body");
    }

    /**
     * The encoded function body as it appears in the code section (without the size prefix):
     * run-length-grouped local declarations, the instructions, and the final {@code end}.
     *
     * @throws IllegalStateException if the body has unclosed blocks
     */
    public byte[] encodeBody() {
        if (body.depth() != 0) {
            throw new IllegalStateException("function " + name + ": " + body.depth() + " unclosed block(s)");
        }
        ByteWriter w = new ByteWriter();
        int groups = 0;
        for (int i = 0; i < locals.size(); i++) {
            if (i == 0 || locals.get(i) != locals.get(i - 1)) {
                groups++;
            }
        }
        w.u32(groups);
        int i = 0;
        while (i < locals.size()) {
            int j = i;
            while (j < locals.size() && locals.get(j) == locals.get(i)) {
                j++;
            }
            w.u32(j - i).u8(locals.get(i).code());
            i = j;
        }
        w.bytes(body.toBytes());
        w.u8(0x0B);
        return w.toByteArray();
    }
}
