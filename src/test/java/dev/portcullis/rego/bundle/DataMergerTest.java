package dev.portcullis.rego.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataMergerTest {

    private static JsonNode j(String s) throws Exception {
        return CanonicalJson.parse(s);
    }

    @Test
    void placesDocumentsAtTheirDirectory() throws Exception {
        var merged = DataMerger.merge(List.of(
                new DataMerger.Placement(List.of(), j("{\"x\": 1, \"a\": {\"keep\": true}}")),
                new DataMerger.Placement(List.of("a", "b"), j("{\"c\": [1, 2]}")),
                new DataMerger.Placement(List.of("a", "b", "d"), j("\"leaf\"")),
                new DataMerger.Placement(List.of("e"), j("{}"))));
        assertEquals("{\"a\":{\"b\":{\"c\":[1,2],\"d\":\"leaf\"},\"keep\":true},\"e\":{},\"x\":1}",
                CanonicalJson.toString(merged));
    }

    @Test
    void conflictingLeavesAreReportedWithTheirPath() throws Exception {
        DataConflictException e = assertThrows(DataConflictException.class, () -> DataMerger.merge(List.of(
                new DataMerger.Placement(List.of(), j("{\"a\": {\"b\": 1}}"), "data.json"),
                new DataMerger.Placement(List.of("a"), j("{\"b\": 1}"), "a/data.json"))));
        assertEquals("data.a.b", e.path());
        assertTrue(e.getMessage().contains("a/data.json"), e.getMessage());
        assertTrue(e.getMessage().contains("conflicting data: data.a.b"), e.getMessage());

        DataConflictException e2 = assertThrows(DataConflictException.class, () -> DataMerger.merge(List.of(
                new DataMerger.Placement(List.of(), j("{\"a\": 5}")),
                new DataMerger.Placement(List.of("a", "x-y"), j("{}")))));
        assertEquals("data.a", e2.path());

        DataConflictException e3 = assertThrows(DataConflictException.class, () -> DataMerger.merge(List.of(
                new DataMerger.Placement(List.of("q", "x-y"), j("1")),
                new DataMerger.Placement(List.of("q", "x-y"), j("{}")))));
        assertEquals("data.q[\"x-y\"]", e3.path());
    }

    @Test
    void rootMustBeAnObject() {
        assertThrows(DataConflictException.class,
                () -> DataMerger.merge(List.of(new DataMerger.Placement(List.of(), j("[1]")))));
    }
}
