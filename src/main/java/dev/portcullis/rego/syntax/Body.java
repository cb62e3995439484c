package dev.portcullis.rego.syntax;

import dev.portcullis.rego.diag.Position;
import java.util.List;

public record Body(Position pos, List<Literal> literals) {}
