package dev.portcullis.gate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/operations.md documents exactly the settings the service declares (read from its config mappings). */
class OperationsDocTest {

    static final Path DOC = Path.of("docs", "operations.md");
    static final Pattern ROW = Pattern.compile("(?m)^\\| `(portcullis\\.[^`]+)` \\| ([^|]*) \\|");

    @Test
    void everySettingIsDocumentedWithItsDefault() throws Exception {
        String doc = Files.readString(DOC);
        List<String> documented = new ArrayList<>();
        Matcher m = ROW.matcher(doc);
        while (m.find()) {
            documented.add(m.group(1));
            String key = m.group(1);
            assertTrue(ConfigCatalog.keys().stream().anyMatch(k -> k.name().equals(key)),
                    key + " is documented but is not a setting of the service");
        }
        for (ConfigCatalog.Key k : ConfigCatalog.keys()) {
            assertTrue(documented.contains(k.name()), k.name() + " is not documented in " + DOC);
            if (k.defaultValue() != null) {
                Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(k.name()) + "` \\| ([^|]*) \\|").matcher(doc);
                assertTrue(row.find() && row.group(1).contains("`" + k.defaultValue() + "`"),
                        k.name() + ": the documented default is not `" + k.defaultValue() + "`");
            }
        }
    }
}
