package dev.portcullis.gate.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code portcullis.data.*}: OPA Data API compatibility. */
@ConfigMapping(prefix = "portcullis.data")
public interface DataApiConfig {

    /**
     * The document OPA's default decision ({@code POST /}) evaluates, as a slash path; OPA's own
     * default is {@code system/main}.
     */
    @WithDefault("system/main")
    String defaultDecision();
}
