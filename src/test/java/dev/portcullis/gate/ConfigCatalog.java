package dev.portcullis.gate;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every {@code portcullis.*} setting the service declares, read from its {@code @ConfigMapping} interfaces (so docs
 * and the chart are checked against the code, not against a second list). Map-valued settings appear as
 * {@code prefix.name.*}.
 */
public final class ConfigCatalog {

    /** One setting: its key (with {@code *} for a map key), its default (null when none) and the declaring type. */
    public record Key(String name, String defaultValue, String javaType, Class<?> declaredIn) {
        public boolean matches(String key) {
            if (name.endsWith(".*")) {
                String prefix = name.substring(0, name.length() - 1);
                return key.startsWith(prefix) && key.length() > prefix.length();
            }
            return name.equals(key);
        }
    }

    /**
     * Settings read without a mapping: {@code portcullis.auth.tokens."<token>"} is read by
     * {@code TokenRegistry} from the raw property names, because the token itself is the key.
     */
    static final List<Key> RAW = List.of(new Key("portcullis.auth.tokens.*", null, "String",
            dev.portcullis.gate.security.TokenRegistry.class));

    private ConfigCatalog() {}

    public static List<Key> keys() {
        List<Key> out = new ArrayList<>(RAW);
        for (Class<?> c : mappings()) {
            walk(c.getAnnotation(ConfigMapping.class).prefix(), c, c, out);
        }
        out.sort(Comparator.comparing(Key::name));
        return out;
    }

    public static Optional<Key> find(String key) {
        return keys().stream().filter(k -> k.matches(key)).findFirst();
    }

    /** The {@code @ConfigMapping} interfaces compiled into target/classes under dev/portcullis. */
    public static List<Class<?>> mappings() {
        Path root = Path.of("target", "classes");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root.resolve("dev").resolve("portcullis"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String f = root.relativize(p).toString();
                if (!f.endsWith(".class") || f.contains("$")) {
                    continue;
                }
                Class<?> c = Class.forName(f.substring(0, f.length() - 6).replace('/', '.').replace('\\', '.'), false,
                        ConfigCatalog.class.getClassLoader());
                if (c.isInterface() && c.isAnnotationPresent(ConfigMapping.class)) {
                    out.add(c);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no @ConfigMapping interfaces found under " + root.toAbsolutePath());
        }
        return out;
    }

    private static void walk(String prefix, Class<?> type, Class<?> declaredIn, List<Key> out) {
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || m.isDefault() || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            WithName wn = m.getAnnotation(WithName.class);
            String name = prefix + "." + (wn != null ? wn.value() : kebab(m.getName()));
            WithDefault wd = m.getAnnotation(WithDefault.class);
            Type t = m.getGenericReturnType();
            Class<?> raw = m.getReturnType();
            if (raw == Optional.class || raw == OptionalInt.class) {
                t = raw == OptionalInt.class ? int.class : ((ParameterizedType) t).getActualTypeArguments()[0];
                raw = t instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) t;
            }
            if (raw == Map.class) {
                Type v = ((ParameterizedType) t).getActualTypeArguments()[1];
                Class<?> vr = v instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) v;
                if (isGroup(vr)) {
                    walk(name + ".*", vr, declaredIn, out);
                } else {
                    out.add(new Key(name + ".*", wd == null ? null : wd.value(), vr.getSimpleName(), declaredIn));
                }
            } else if (isGroup(raw)) {
                walk(name, raw, declaredIn, out);
            } else {
                out.add(new Key(name, wd == null ? null : wd.value(), t.getTypeName().replaceAll("java\\.[a-z.]+\\.", ""),
                        declaredIn));
            }
        }
    }

    private static boolean isGroup(Class<?> c) {
        return c.isInterface() && !c.getName().startsWith("java.");
    }

    private static final Pattern HUMP = Pattern.compile("([a-z0-9])([A-Z])");

    static String kebab(String camel) {
        return HUMP.matcher(camel).replaceAll("$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
