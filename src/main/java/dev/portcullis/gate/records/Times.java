package dev.portcullis.gate.records;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** UTC instants as the records store them and the policies read them. */
public final class Times {
    private Times() {}

    /** Now, at the millisecond precision every record keeps (both databases store it exactly). */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Policies compare instants as Unix seconds (the compiled runtime has no time builtins). */
    public static long unix(Instant t) {
        return t.getEpochSecond();
    }

    public static String utc(Instant t) {
        return t == null ? null : t.toString();
    }

    /** An ISO-8601 UTC instant such as {@code 2026-12-02T10:00:00Z}; anything else is a 400. */
    public static Instant parse(String field, String text) {
        try {
            Instant t = Instant.parse(text);
            if (t.isBefore(Instant.parse("1970-01-01T00:00:00Z")) || t.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
                throw new DateTimeParseException("out of range", text, 0);
            }
            return t;
        } catch (DateTimeParseException e) {
            throw new RecordException(RecordError.INVALID_REQUEST,
                    field + " must be a UTC instant such as 2026-12-02T10:00:00Z");
        }
    }
}
