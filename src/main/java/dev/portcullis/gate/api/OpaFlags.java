package dev.portcullis.gate.api;

import dev.portcullis.gate.decide.InputRejectedException;
import dev.portcullis.gate.decide.RequestParser;
import dev.portcullis.gate.json.LogText;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Boolean query flags as OPA's HTTP API reads them: absent is false; present without a value
 * ({@code ?pretty}) or {@code =true} is true; {@code =false} is false. Anything else is refused
 * (400) rather than read as false, as is a flag given twice.
 */
record OpaFlags(Set<String> on) {

    static OpaFlags of(MultivaluedMap<String, String> params, List<String> known) {
        Set<String> on = new HashSet<>();
        for (String name : known) {
            List<String> vs = params.get(name);
            if (vs == null || vs.isEmpty()) {
                continue;
            }
            if (vs.size() > 1) {
                throw invalid("query parameter " + name + " given more than once");
            }
            String v = vs.get(0);
            switch (v) {
                case "", "true" -> on.add(name);
                case "false" -> { }
                default -> throw invalid(name + " must be true, false or empty, not "
                        + LogText.quote(v.length() > 64 ? v.substring(0, 64) : v));
            }
        }
        return new OpaFlags(Set.copyOf(on));
    }

    boolean on(String name) {
        return on.contains(name);
    }

    private static InputRejectedException invalid(String message) {
        return new InputRejectedException(RequestParser.INVALID_INPUT, 400, message);
    }
}
