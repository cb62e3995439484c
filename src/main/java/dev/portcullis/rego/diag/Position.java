package dev.portcullis.rego.diag;

/** A place in a source file; lines and columns count from 1, columns in characters. */
public record Position(String file, int line, int col) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + col;
    }
}
