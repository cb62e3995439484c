package dev.portcullis.rego.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Accumulates the statements and locals of one IR function while the planner walks a rule. */
final class FuncBuilder {
    private final String name;
    private final int params;
    private int nextLocal;
    private final Deque<List<Ir.Stmt>> blocks = new ArrayDeque<>();

    FuncBuilder(String name, int params) {
        this.name = name;
        this.params = params;
        this.nextLocal = params;
        blocks.push(new ArrayList<>());
    }

    int newLocal() {
        return nextLocal++;
    }

    void emit(Ir.Stmt s) {
        blocks.peek().add(s);
    }

    /** Runs {@code body} collecting what it emits into a new block, which is returned. */
    Ir.Block block(Runnable body) {
        blocks.push(new ArrayList<>());
        try {
            body.run();
            return new Ir.Block(List.copyOf(blocks.peek()));
        } finally {
            blocks.pop();
        }
    }

    Ir.Func build(int result, boolean memoized) {
        if (blocks.size() != 1) {
            throw new IllegalStateException("unbalanced blocks in " + name);
        }
        return new Ir.Func(name, params, nextLocal, new Ir.Block(List.copyOf(blocks.peek())), result, memoized);
    }
}
