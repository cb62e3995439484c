package dev.portcullis.rego.wasm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code name} custom section: subsections kept raw, with helpers to edit the index→name maps
 * (function names = subsection 1, global names = subsection 7).
 */
final class NameSection {
    static final int MODULE = 0, FUNCTIONS = 1, LOCALS = 2, GLOBALS = 7, DATA_SEGMENTS = 9;

    private record Sub(int id, byte[] payload) {
    }

    private final List<Sub> subs = new ArrayList<>();

    static NameSection parse(byte[] payload) {
        NameSection n = new NameSection();
        ByteReader r = new ByteReader(payload);
        while (!r.atEnd()) {
            int id = r.u8();
            int size = r.u32();
            n.subs.add(new Sub(id, r.bytes(size)));
        }
        return n;
    }

    /** The name map of subsection {@code id} (empty if absent). */
    TreeMap<Integer, String> nameMap(int id) {
        TreeMap<Integer, String> map = new TreeMap<>();
        for (Sub s : subs) {
            if (s.id == id) {
                ByteReader r = new ByteReader(s.payload);
                int n = r.u32();
                for (int i = 0; i < n; i++) {
                    int idx = r.u32();
                    map.put(idx, r.name());
                }
            }
        }
        return map;
    }

    /** Replaces (or inserts, keeping ids ascending) subsection {@code id} with the given name map. */
    void setNameMap(int id, Map<Integer, String> names) {
        ByteWriter w = new ByteWriter();
        w.u32(names.size());
        for (Map.Entry<Integer, String> e : new TreeMap<>(names).entrySet()) {
            w.u32(e.getKey()).name(e.getValue());
        }
        Sub sub = new Sub(id, w.toByteArray());
        for (int i = 0; i < subs.size(); i++) {
            if (subs.get(i).id == id) {
                subs.set(i, sub);
                return;
            }
            if (subs.get(i).id > id) {
                subs.add(i, sub);
                return;
            }
        }
        subs.add(sub);
    }

    byte[] encode() {
        ByteWriter w = new ByteWriter();
        for (Sub s : subs) {
            w.u8(s.id).sized(s.payload);
        }
        return w.toByteArray();
    }
}
