package dev.portcullis.gate.bundles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NaturalOrderTest {
    @Test
    void digitRunsCompareNumerically() {
        List<String> revs = new ArrayList<>(List.of("10", "9", "v1.10.0", "v1.9.0", "v1.9", "2024-01-10", "2024-01-02",
                "001", "1", "a", "b"));
        revs.sort(NaturalOrder.INSTANCE);
        assertEquals(List.of("001", "1", "9", "10", "2024-01-02", "2024-01-10", "a", "b", "v1.9", "v1.9.0", "v1.10.0"),
                revs);
    }
}
