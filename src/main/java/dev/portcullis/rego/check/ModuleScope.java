package dev.portcullis.rego.check;

import dev.portcullis.rego.syntax.Module;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What bare names mean inside one module: its package and its import aliases. */
public record ModuleScope(String file, List<String> pkg, Map<String, List<String>> aliases) {

    public static ModuleScope of(Module module) {
        Map<String, List<String>> aliases = new HashMap<>();
        for (Module.Import imp : module.imports()) {
            List<String> p = imp.path();
            String root = p.get(0);
            if (!root.equals("data") && !root.equals("input")) {
                continue; // rego.v1, future.keywords.*: syntax switches with no bindings
            }
            if (p.size() == 1 && imp.alias() == null) {
                continue;
            }
            String alias = imp.alias() != null ? imp.alias() : p.get(p.size() - 1);
            aliases.put(alias, List.copyOf(p));
        }
        return new ModuleScope(module.file(), List.copyOf(module.pkg().path()), Map.copyOf(aliases));
    }
}
