package dev.portcullis.gate.decide;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Bounds on what a caller may send; anything beyond them is denied before any policy runs. */
@ConfigMapping(prefix = "portcullis.limits")
public interface LimitsConfig {
    /** Largest request body in bytes (the input plus its small envelope); larger → 413. */
    @WithDefault("1048576")
    int maxInputBytes();

    /** Deepest JSON nesting accepted; deeper → 400. */
    @WithDefault("64")
    int maxDepth();
}
