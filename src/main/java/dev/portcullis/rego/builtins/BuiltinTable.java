package dev.portcullis.rego.builtins;

import dev.portcullis.rego.builtins.BuiltinDecl.Flag;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every builtin function of OPA's Rego (OPA v1.14 capabilities, which OPA's Wasm target compiles),
 * declared once. The checker (arity, literal argument types), the planner, the code generator
 * (runtime symbols, host builtin ids), {@code docs/builtins.md} and the runtime export test all
 * read this table.
 *
 * <p>Adding a builtin: change its line below from {@code todo} to {@code nat} (the C function is
 * {@code pc_bi_<name with dots as underscores>}, declared in {@code codegen_api.h}) and add
 * conformance cases.
 *
 * <p>Signatures read {@code name(arg, ...) -> result} in {@link Type}'s compact form.
 */
public final class BuiltinTable {

    private static final Map<String, BuiltinDecl> BY_NAME = new TreeMap<>();
    private static final Map<String, BuiltinDecl> BY_INFIX = new TreeMap<>();

    private static final Impl HOST = new Impl.Host();
    private static final Impl PLANNER = new Impl.Planner();
    private static final Impl TODO = new Impl.NotYetImplemented();

    static {
        // ---- operators (infix); comparisons and unification are lowered by the planner
        op("plus", "+", "pc_plus", "(number, number) -> number");
        op("minus", "-", "pc_minus", "(number | set[any], number | set[any]) -> number | set[any]");
        op("mul", "*", "pc_mul", "(number, number) -> number");
        op("div", "/", "pc_div", "(number, number) -> number");
        op("rem", "%", "pc_rem", "(number, number) -> number");
        op("or", "|", "pc_union", "(set[any], set[any]) -> set[any]");
        op("and", "&", "pc_intersect", "(set[any], set[any]) -> set[any]");
        op("eq", "=", null, "(any, any) -> boolean");
        op("assign", ":=", null, "(any, any) -> boolean");
        op("equal", "==", null, "(any, any) -> boolean");
        op("neq", "!=", null, "(any, any) -> boolean");
        op("lt", "<", null, "(any, any) -> boolean");
        op("lte", "<=", null, "(any, any) -> boolean");
        op("gt", ">", null, "(any, any) -> boolean");
        op("gte", ">=", null, "(any, any) -> boolean");
        op("internal.member_2", "in", null, "(any, any) -> boolean");
        op("internal.member_3", "in", null, "(any, any, any) -> boolean");

        // ---- numbers and aggregates
        nat("abs(number) -> number");
        nat("ceil(number) -> number");
        nat("floor(number) -> number");
        nat("round(number) -> number");
        nat("format_int(number, number) -> string");
        nat("to_number(null | boolean | number | string) -> number");
        nat("numbers.range(number, number) -> array[number]");
        nat("numbers.range_step(number, number, number) -> array[number]");
        nat("count(string | array[any] | object[any: any] | set[any]) -> number");
        nat("sum(array[number] | set[number]) -> number");
        nat("product(array[number] | set[number]) -> number");
        nat("max(array[any] | set[any]) -> any");
        nat("min(array[any] | set[any]) -> any");
        nat("sort(array[any] | set[any]) -> array[any]");
        nat("bits.and(number, number) -> number");
        nat("bits.or(number, number) -> number");
        nat("bits.xor(number, number) -> number");
        nat("bits.negate(number) -> number");
        nat("bits.lsh(number, number) -> number");
        nat("bits.rsh(number, number) -> number");
        nat("units.parse(string) -> number");
        nat("units.parse_bytes(string) -> number");
        todo("rand.intn(string, number) -> number", Flag.NONDETERMINISTIC);

        // ---- types
        nat("is_number(any) -> boolean");
        nat("is_string(any) -> boolean");
        nat("is_boolean(any) -> boolean");
        nat("is_array(any) -> boolean");
        nat("is_set(any) -> boolean");
        nat("is_object(any) -> boolean");
        nat("is_null(any) -> boolean");
        nat("type_name(any) -> string");

        // ---- strings
        nat("concat(string, array[string] | set[string]) -> string");
        nat("contains(string, string) -> boolean");
        nat("startswith(string, string) -> boolean");
        nat("endswith(string, string) -> boolean");
        nat("indexof(string, string) -> number");
        nat("indexof_n(string, string) -> array[number]");
        nat("lower(string) -> string");
        nat("upper(string) -> string");
        nat("replace(string, string, string) -> string");
        nat("split(string, string) -> array[string]");
        nat("substring(string, number, number) -> string");
        nat("trim(string, string) -> string");
        nat("trim_left(string, string) -> string");
        nat("trim_right(string, string) -> string");
        nat("trim_prefix(string, string) -> string");
        nat("trim_suffix(string, string) -> string");
        nat("trim_space(string) -> string");
        nat("sprintf(string, array[any]) -> string");
        nat("strings.any_prefix_match(string | array[string] | set[string], string | array[string] | set[string]) -> boolean");
        nat("strings.any_suffix_match(string | array[string] | set[string], string | array[string] | set[string]) -> boolean");
        nat("strings.count(string, string) -> number");
        todo("strings.render_template(string, object[string: any]) -> string");
        nat("strings.replace_n(object[string: string], string) -> string");
        nat("strings.reverse(string) -> string");
        todo("internal.template_string(array[any]) -> string");

        // ---- regular expressions and globs
        nat("regex.match(string, string) -> boolean");
        nat("regex.is_valid(string) -> boolean");
        nat("regex.find_n(string, string, number) -> array[string]");
        nat("regex.find_all_string_submatch_n(string, string, number) -> array[array[string]]");
        nat("regex.split(string, string) -> array[string]");
        nat("regex.replace(string, string, string) -> string");
        nat("regex.template_match(string, string, string, string) -> boolean");
        todo("regex.globs_match(string, string) -> boolean");
        nat("glob.match(string, null | array[string], string) -> boolean");
        nat("glob.quote_meta(string) -> string");

        // ---- arrays, objects, sets
        nat("array.concat(array[any], array[any]) -> array[any]");
        nat("array.flatten(array[any]) -> array[any]");
        nat("array.reverse(array[any]) -> array[any]");
        nat("array.slice(array[any], number, number) -> array[any]");
        nat("object.filter(object[any: any], array[any] | object[any: any] | set[any]) -> any");
        nat("object.get(object[any: any], any, any) -> any");
        nat("object.keys(object[any: any]) -> set[any]");
        nat("object.remove(object[any: any], array[any] | object[any: any] | set[any]) -> any");
        nat("object.subset(array[any] | object[any: any] | set[any], array[any] | object[any: any] | set[any]) -> any");
        nat("object.union(object[any: any], object[any: any]) -> any");
        nat("object.union_n(array[object[any: any]]) -> any");
        nat("intersection(set[set[any]]) -> set[any]");
        nat("union(set[set[any]]) -> set[any]");
        nat("graph.reachable(object[any: array[any] | set[any]], array[any] | set[any]) -> set[any]");
        nat("graph.reachable_paths(object[any: array[any] | set[any]], array[any] | set[any]) -> set[array[any]]");
        todo("walk(any) -> [array[any], any]", Flag.RELATION);

        // ---- encodings
        nat("base64.encode(string) -> string");
        nat("base64.decode(string) -> string");
        nat("base64.is_valid(string) -> boolean");
        nat("base64url.encode(string) -> string");
        nat("base64url.encode_no_pad(string) -> string");
        nat("base64url.decode(string) -> string");
        nat("hex.encode(string) -> string");
        nat("hex.decode(string) -> string");
        nat("urlquery.encode(string) -> string");
        nat("urlquery.decode(string) -> string");
        nat("urlquery.encode_object(object[string: string | array[string] | set[string]]) -> string");
        nat("urlquery.decode_object(string) -> object[string: array[string]]");
        nat("json.marshal(any) -> string");
        todo("json.marshal_with_options(any, object[string: any]) -> string");
        nat("json.unmarshal(string) -> any");
        nat("json.is_valid(string) -> boolean");
        nat("json.filter(object[any: any], array[string | array[any]] | set[string | array[any]]) -> any");
        nat("json.remove(object[any: any], array[string | array[any]] | set[string | array[any]]) -> any");
        todo("json.patch(any, array[object[any: any]]) -> any");
        todo("json.match_schema(string | object[any: any], string | object[any: any]) -> [boolean, array[object[string: string]]]");
        todo("json.verify_schema(string | object[any: any]) -> [boolean, null | string]");
        todo("yaml.marshal(any) -> string");
        todo("yaml.unmarshal(string) -> any");
        todo("yaml.is_valid(string) -> boolean");

        // ---- crypto, tokens, certificates (host candidates: JWT, X.509, private keys)
        nat("crypto.md5(string) -> string");
        nat("crypto.sha1(string) -> string");
        nat("crypto.sha256(string) -> string");
        nat("crypto.hmac.md5(string, string) -> string");
        nat("crypto.hmac.sha1(string, string) -> string");
        nat("crypto.hmac.sha256(string, string) -> string");
        nat("crypto.hmac.sha512(string, string) -> string");
        nat("crypto.hmac.equal(string, string) -> boolean");
        todo("crypto.parse_private_keys(string) -> array[object[string: any]]");
        todo("crypto.x509.parse_and_verify_certificates(string) -> [boolean, array[object[string: any]]]");
        todo("crypto.x509.parse_and_verify_certificates_with_options(string, object[string: any]) -> [boolean, array[object[string: any]]]");
        todo("crypto.x509.parse_certificate_request(string) -> object[string: any]");
        todo("crypto.x509.parse_certificates(string) -> array[object[string: any]]");
        todo("crypto.x509.parse_keypair(string, string) -> object[string: any]");
        todo("crypto.x509.parse_rsa_private_key(string) -> object[string: any]");
        host("io.jwt.decode(string) -> [object[any: any], object[any: any], string]");
        host("io.jwt.decode_verify(string, object[string: any]) -> [boolean, object[any: any], object[any: any]]", Flag.NONDETERMINISTIC);
        host("io.jwt.encode_sign(object[string: any], object[string: any], object[string: any]) -> string", Flag.NONDETERMINISTIC);
        host("io.jwt.encode_sign_raw(string, string, string) -> string", Flag.NONDETERMINISTIC);
        for (String alg : List.of("eddsa", "es256", "es384", "es512", "hs256", "hs384", "hs512", "ps256", "ps384",
                "ps512", "rs256", "rs384", "rs512")) {
            host("io.jwt.verify_" + alg + "(string, string) -> boolean");
        }
        host("providers.aws.sign_req(object[string: any], object[string: any], number) -> object[any: any]");

        // ---- networks
        nat("net.cidr_contains(string, string) -> boolean");
        nat("net.cidr_intersects(string, string) -> boolean");
        nat("net.cidr_is_valid(string) -> boolean");
        nat("net.cidr_expand(string) -> set[string]");
        nat("net.cidr_merge(array[string] | set[string]) -> set[string]");
        String cidrs = "string | array[string | array[any]] | object[string: string | array[any]] | set[string | array[any]]";
        nat("net.cidr_contains_matches(" + cidrs + ", " + cidrs + ") -> set[[any, any]]");
        todo("net.lookup_ip_addr(string) -> set[string]", Flag.NONDETERMINISTIC);
        todo("http.send(object[string: any]) -> object[any: any]", Flag.NONDETERMINISTIC);

        // ---- time
        String t = "number | [number, string]";
        todo("time.now_ns() -> number", Flag.NONDETERMINISTIC);
        nat("time.parse_ns(string, string) -> number");
        nat("time.parse_rfc3339_ns(string) -> number");
        nat("time.parse_duration_ns(string) -> number");
        nat("time.date(" + t + ") -> [number, number, number]");
        nat("time.clock(" + t + ") -> [number, number, number]");
        nat("time.weekday(" + t + ") -> string");
        nat("time.add_date(number, number, number, number) -> number");
        nat("time.diff(" + t + ", " + t + ") -> [number, number, number, number, number, number]");
        nat("time.format(number | [number, string] | [number, string, string]) -> string");

        // ---- versions, identifiers, GraphQL, Rego itself
        nat("semver.compare(string, string) -> number");
        nat("semver.is_valid(any) -> boolean");
        nat("uuid.parse(string) -> object[string: any]");
        todo("uuid.rfc4122(string) -> string", Flag.NONDETERMINISTIC);
        String gql = "string | object[any: any]";
        todo("graphql.is_valid(" + gql + ", " + gql + ") -> boolean");
        todo("graphql.parse(" + gql + ", " + gql + ") -> [object[any: any], object[any: any]]");
        todo("graphql.parse_and_verify(" + gql + ", " + gql + ") -> [boolean, object[any: any], object[any: any]]");
        todo("graphql.parse_query(string) -> object[any: any]");
        todo("graphql.parse_schema(string) -> object[any: any]");
        todo("graphql.schema_is_valid(" + gql + ") -> boolean");
        todo("rego.parse_module(string, string) -> object[string: any]");
        todo("rego.metadata.chain() -> array[any]");
        todo("rego.metadata.rule() -> any");
        todo("opa.runtime() -> object[string: any]", Flag.NONDETERMINISTIC);
        todo("trace(string) -> boolean");
        todo("print(any) -> none", Flag.VARIADIC);
        todo("internal.print(array[set[any]]) -> none");
        todo("internal.test_case(array[any]) -> none");
        todo("test.sleep(string) -> null", Flag.NONDETERMINISTIC);

        // ---- removed from Rego v1 (OPA 1.x reports them as undefined functions)
        todo("all(array[any] | set[any]) -> boolean", Flag.DEPRECATED);
        todo("any(array[any] | set[any]) -> boolean", Flag.DEPRECATED);
        todo("re_match(string, string) -> boolean", Flag.DEPRECATED);
        todo("set_diff(set[any], set[any]) -> set[any]", Flag.DEPRECATED);
        todo("net.cidr_overlap(string, string) -> boolean", Flag.DEPRECATED);
        todo("cast_array(any) -> array[any]", Flag.DEPRECATED);
        todo("cast_set(any) -> set[any]", Flag.DEPRECATED);
        todo("cast_string(any) -> string", Flag.DEPRECATED);
        todo("cast_boolean(any) -> boolean", Flag.DEPRECATED);
        todo("cast_null(any) -> null", Flag.DEPRECATED);
        todo("cast_object(any) -> object[any: any]", Flag.DEPRECATED);
    }

    private BuiltinTable() {}

    /** The builtin called {@code name} (its Rego name, e.g. {@code "object.get"}). */
    public static Optional<BuiltinDecl> lookup(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /**
     * The builtin a call names: by Rego name, or by infix operator ({@code "+"}, {@code "=="};
     * {@code "in"} is the two-operand membership).
     */
    public static Optional<BuiltinDecl> forCall(String nameOrOperator) {
        BuiltinDecl d = BY_NAME.get(nameOrOperator);
        return Optional.ofNullable(d != null ? d : BY_INFIX.get(nameOrOperator));
    }

    /** All builtins, sorted by name. */
    public static Collection<BuiltinDecl> all() {
        return Collections.unmodifiableCollection(BY_NAME.values());
    }

    // ---------------------------------------------------------------- declaration helpers

    private static void nat(String signature, Flag... flags) {
        String name = signature.substring(0, signature.indexOf('('));
        decl(new Impl.Native("pc_bi_" + name.replace('.', '_')), signature, flags);
    }

    /** Implemented in Java by {@code dev.portcullis.rego.host.HostBuiltins}, called through opa_builtinN. */
    private static void host(String signature, Flag... flags) {
        decl(HOST, signature, flags);
    }

    private static void todo(String signature, Flag... flags) {
        decl(TODO, signature, flags);
    }

    private static void op(String name, String infix, String symbol, String signature) {
        add(name, symbol == null ? PLANNER : new Impl.Native(symbol), signature, infix);
    }

    private static void decl(Impl impl, String signature, Flag... flags) {
        int paren = signature.indexOf('(');
        add(signature.substring(0, paren), impl, signature.substring(paren), null, flags);
    }

    private static void add(String name, Impl impl, String signature, String infix, Flag... flags) {
        int arrow = signature.lastIndexOf(") -> ");
        if (!signature.startsWith("(") || arrow < 0) {
            throw new IllegalArgumentException("bad signature for " + name + ": " + signature);
        }
        List<Type> args = new ArrayList<>();
        for (String a : splitTopLevel(signature.substring(1, arrow))) {
            args.add(Type.parse(a));
        }
        String res = signature.substring(arrow + 5).trim();
        Type result = res.equals("none") ? null : Type.parse(res);
        Set<Flag> fs = flags.length == 0 ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(List.of(flags));
        BuiltinDecl d = new BuiltinDecl(name, args, result, impl, infix, fs);
        if (BY_NAME.put(name, d) != null) {
            throw new IllegalStateException("builtin declared twice: " + name);
        }
        // "in" names the two-operand form; the three-operand form is reached by name
        if (infix != null && !name.equals("internal.member_3")) {
            BY_INFIX.put(infix, d);
        }
    }

    /** Splits at commas outside brackets. */
    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        if (!s.isBlank()) {
            out.add(s.substring(start).trim());
        }
        return out;
    }
}
