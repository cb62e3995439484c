package dev.portcullis.rego.syntax;

import dev.portcullis.rego.diag.Position;
import java.util.List;

/** A parsed .rego file. */
public record Module(String file, Package pkg, List<Import> imports, List<Rule> rules) {

    /** {@code package a.b} → path [a, b] (without the implicit {@code data}). */
    public record Package(Position pos, List<String> path) {}

    /**
     * {@code import data.a.b as c} → path [data, a, b], alias "c" (null when absent).
     * {@code import rego.v1} and {@code import future.keywords.*} are kept as written.
     */
    public record Import(Position pos, List<String> path, String alias) {}
}
