package dev.portcullis.rego.wasm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WasmRoundTripTest {

    @Test
    void demoPolicyRoundTripsByteForByte() {
        byte[] demo = WasmTestSupport.demoPolicy();
        WasmModule m = WasmReader.read(demo);
        assertEquals(27, m.types.size());
        assertEquals(7, m.imports.size());
        assertEquals(719, m.functions.size());
        assertEquals(719, m.code.size());
        assertEquals(26, m.exports.size());
        assertEquals(724, m.start);
        assertEquals(5, m.data.size());
        assertEquals(65536, m.data.get(0).constOffset());
        assertNotNull(m.findCustom("name"));
        assertNotNull(m.findCustom("producers"));
        assertArrayEquals(demo, WasmWriter.write(m));
    }

    @Test
    void nameSectionRoundTrips() {
        WasmModule m = WasmReader.read(WasmTestSupport.demoPolicy());
        byte[] payload = m.findCustom("name").payload();
        NameSection ns = NameSection.parse(payload);
        assertArrayEquals(payload, ns.encode());
        assertEquals("opa_eval", ns.nameMap(NameSection.FUNCTIONS).get(46));
        // re-setting the same map keeps the bytes
        ns.setNameMap(NameSection.FUNCTIONS, ns.nameMap(NameSection.FUNCTIONS));
        assertArrayEquals(payload, ns.encode());
    }

    @Test
    void builtModuleRoundTrips() {
        byte[] fake = WasmTestSupport.fakeRuntime();
        WasmModule m = WasmReader.read(fake);
        assertArrayEquals(fake, WasmWriter.write(m));
        // and it is a valid module
        WasmTestSupport.instantiate(fake);
    }

    @Test
    void customSectionPlacementIsPreserved() {
        WasmModule m = new WasmModule();
        m.customSections.add(new WasmModule.CustomSection("first", new byte[] {1}, 0));
        m.types = new java.util.ArrayList<>(java.util.List.of(FuncType.i32s(0)));
        m.customSections.add(new WasmModule.CustomSection("afterTypes", new byte[] {2, 3}, WasmModule.TYPE));
        m.customSections.add(new WasmModule.CustomSection("afterCode", new byte[] {}, WasmModule.CODE));
        m.functions = new java.util.ArrayList<>(java.util.List.of(0));
        m.code = new java.util.ArrayList<>(java.util.List.of(new byte[] {0, 0x41, 7, 0x0B}));
        m.dataCount = 0;
        m.data = new java.util.ArrayList<>();
        byte[] bytes = WasmWriter.write(m);
        WasmModule back = WasmReader.read(bytes);
        assertEquals(m.customSections, back.customSections);
        assertEquals(0, back.dataCount);
        assertArrayEquals(bytes, WasmWriter.write(back));
    }

    @Test
    void malformedInputReportsOffset() {
        byte[] demo = WasmTestSupport.demoPolicy();
        WasmFormatException e = assertThrows(WasmFormatException.class,
                () -> WasmReader.read(new byte[] {0, 'a', 's', 'x', 1, 0, 0, 0}));
        assertEquals(3, e.offset());
        // truncated inside the code section
        byte[] cut = Arrays.copyOf(demo, 0x1000);
        e = assertThrows(WasmFormatException.class, () -> WasmReader.read(cut));
        assertTrue(e.offset() > 0 && e.offset() <= 0x1000, "offset " + e.offset());
        assertTrue(e.getMessage().contains("offset 0x"));
        assertThrows(WasmFormatException.class, () -> RuntimeModule.parse(cut));
    }
}
