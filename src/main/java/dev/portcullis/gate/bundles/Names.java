package dev.portcullis.gate.bundles;

import java.util.regex.Pattern;

/**
 * What bundle names, revisions and entrypoints may look like. Every name a client sends (a policy
 * to decide, a data path, a bundle to activate) is checked against these rules before it reaches
 * a map lookup, a log line, a metric or the database, and bundles whose manifests break them are
 * refused, so a name outside them can never be served.
 */
public final class Names {

    /** Longest entrypoint ({@code pkg/rule} path) the gate serves. */
    public static final int MAX_ENTRYPOINT = 256;
    /** Longest bundle name or revision. */
    public static final int MAX_NAME = 200;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern ENTRYPOINT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*");
    private static final String ARCHIVE = ".tar.gz";

    private Names() {}

    /** A bundle name: also a directory name under the bundles root. */
    public static boolean bundleName(String s) {
        return s != null && s.length() <= MAX_NAME && NAME.matcher(s).matches();
    }

    /** A revision: also a file name stem ({@code <revision>.tar.gz}). */
    public static boolean revision(String s) {
        return bundleName(s) && !s.endsWith(ARCHIVE);
    }

    /** An entrypoint: slash-separated segments of letters, digits, {@code _ . -}. */
    public static boolean entrypoint(String s) {
        return s != null && !s.isEmpty() && s.length() <= MAX_ENTRYPOINT && ENTRYPOINT.matcher(s).matches();
    }

    /** The rule, for error messages. */
    public static final String BUNDLE_NAME_RULE = "1-" + MAX_NAME + " characters of [A-Za-z0-9._-], starting with a letter or digit";
    public static final String ENTRYPOINT_RULE = "up to " + MAX_ENTRYPOINT
            + " characters: segments of [A-Za-z0-9_.-] separated by single slashes, e.g. gate/access/request/decision";
}
