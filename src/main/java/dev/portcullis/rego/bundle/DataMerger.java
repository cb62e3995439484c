package dev.portcullis.rego.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds one base data document from documents placed at paths, e.g. {@code a/b/data.json}
 * at {@code ["a","b"]} ends up under {@code data.a.b}. Objects merge recursively; any other
 * value meeting another value at the same location is a conflict (even when equal, as in OPA).
 */
public final class DataMerger {

    /** A document and where it goes; {@code source} names it in error messages (may be null). */
    public record Placement(List<String> path, JsonNode value, String source) {
        public Placement {
            path = List.copyOf(path);
            Objects.requireNonNull(value, "value");
        }

        public Placement(List<String> path, JsonNode value) {
            this(path, value, null);
        }
    }

    private DataMerger() {}

    public static ObjectNode merge(List<Placement> placements) throws DataConflictException {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (Placement p : placements) {
            mergeInto(root, p);
        }
        return root;
    }

    /** Merges {@code p} into {@code root} (modified in place). */
    public static void mergeInto(ObjectNode root, Placement p) throws DataConflictException {
        String src = p.source() == null ? "" : p.source() + ": ";
        if (p.path().isEmpty() && !p.value().isObject()) {
            throw new DataConflictException("data", src + "the root data document must be a JSON object, found "
                    + p.value().getNodeType().name().toLowerCase());
        }
        ObjectNode cur = root;
        List<String> walked = new ArrayList<>();
        for (int i = 0; i < p.path().size(); i++) {
            String seg = p.path().get(i);
            walked.add(seg);
            JsonNode next = cur.get(seg);
            boolean last = i == p.path().size() - 1;
            if (next == null) {
                if (last) {
                    cur.set(seg, p.value().deepCopy());
                    return;
                }
                cur = cur.putObject(seg);
            } else if (next.isObject()) {
                if (last) {
                    if (!p.value().isObject()) {
                        throw conflict(walked, src);
                    }
                    mergeObjects((ObjectNode) next, p.value(), walked, src);
                    return;
                }
                cur = (ObjectNode) next;
            } else {
                throw conflict(walked, src);
            }
        }
        mergeObjects(cur, p.value(), walked, src);
    }

    private static void mergeObjects(ObjectNode target, JsonNode source, List<String> at, String src)
            throws DataConflictException {
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            List<String> path = new ArrayList<>(at);
            path.add(f.getKey());
            JsonNode existing = target.get(f.getKey());
            if (existing == null) {
                target.set(f.getKey(), f.getValue().deepCopy());
            } else if (existing.isObject() && f.getValue().isObject()) {
                mergeObjects((ObjectNode) existing, f.getValue(), path, src);
            } else {
                throw conflict(path, src);
            }
        }
    }

    private static DataConflictException conflict(List<String> path, String src) {
        String ref = ref(path);
        return new DataConflictException(ref, src + "conflicting data: " + ref + " is defined more than once");
    }

    /** {@code data.a.b}, with non-identifier segments quoted as {@code data.a["x-y"]}. */
    public static String ref(List<String> path) {
        StringBuilder sb = new StringBuilder("data");
        for (String s : path) {
            if (s.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                sb.append('.').append(s);
            } else {
                sb.append("[\"").append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
            }
        }
        return sb.toString();
    }
}
