package dev.portcullis.rego;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.styra.opa.wasm.OpaPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy OPA's demo-policy.wasm was built from, compiled by us and run in opa-java-wasm. */
class DemoPolicyTest {

    static final String DEMO = """
            package opa.wasm.test
            default allowed := false
            allowed if {
                user := input.user
                data.role[user] == "admin"
            }
            """;

    @Test
    void compiledDemoPolicyDecidesLikeOpa() {
        RegoCompiler.Result r = RegoCompiler.compile(List.of(new RegoCompiler.Source("demo.rego", DEMO)),
                List.of("opa/wasm/test/allowed"));
        OpaPolicy policy = OpaPolicy.builder().withPolicy(r.wasm()).build();
        policy.data("{\"role\":{\"alice\":\"admin\",\"bob\":\"user\"}}");
        assertEquals("[{\"result\":true}]", policy.evaluate("{\"user\":\"alice\"}"));
        assertEquals("[{\"result\":false}]", policy.evaluate("{\"user\":\"bob\"}"));
        assertEquals("[{\"result\":false}]", policy.evaluate("{}"));
    }
}
