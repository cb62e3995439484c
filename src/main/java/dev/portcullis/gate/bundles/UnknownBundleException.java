package dev.portcullis.gate.bundles;

/** No bundle with that name, or no such revision of it (HTTP 404). */
public class UnknownBundleException extends RuntimeException {
    private final String name;
    private final String revision;

    public UnknownBundleException(String name, String revision) {
        super(revision == null ? "unknown bundle " + name : "unknown bundle revision " + name + "@" + revision);
        this.name = name;
        this.revision = revision;
    }

    public String name() {
        return name;
    }

    /** The revision asked for, or null when the name itself is unknown. */
    public String revision() {
        return revision;
    }
}
