package dev.portcullis.gate.engine;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Evaluation engine settings ({@code portcullis.engine.*}).
 *
 * <ul>
 *   <li>{@code pool-size}: max OpaPolicy instances per bundle version (default 2 × available processors);
 *       instances are created lazily.</li>
 *   <li>{@code timeout}: wall-clock limit of one evaluation once an instance is borrowed (default 50ms).</li>
 *   <li>{@code acquire-timeout}: how long a caller waits for a free instance (including creating one) before
 *       the evaluation fails with {@code busy} (default 2s).</li>
 *   <li>{@code max-memory-pages}: Wasm linear memory cap per instance in 64 KiB pages (default 160 = 10 MiB).</li>
 *   <li>{@code smoke-timeout}: the budget of a bundle's intake: instantiation (the module's start function and
 *       data loading included) and the smoke evaluation of every entrypoint together (default 10s; the first
 *       evaluation on a freshly compiled instance is slow). A bundle that exceeds it is rejected.</li>
 * </ul>
 */
@ConfigMapping(prefix = "portcullis.engine")
public interface EngineConfig {

    Optional<Integer> poolSize();

    @WithDefault("50ms")
    Duration timeout();

    @WithDefault("2s")
    Duration acquireTimeout();

    @WithDefault("160")
    int maxMemoryPages();

    @WithDefault("10s")
    Duration smokeTimeout();

    default int effectivePoolSize() {
        return Math.max(1, poolSize().orElse(2 * Runtime.getRuntime().availableProcessors()));
    }

    /** Settings for code that runs without CDI (tests, tools). */
    static EngineConfig of(int poolSize, Duration timeout, Duration acquireTimeout, int maxMemoryPages) {
        return of(poolSize, timeout, acquireTimeout, maxMemoryPages, Duration.ofSeconds(10));
    }

    /** As {@link #of(int, Duration, Duration, int)} with an explicit smoke (intake) budget. */
    static EngineConfig of(int poolSize, Duration timeout, Duration acquireTimeout, int maxMemoryPages,
            Duration smokeTimeout) {
        return new EngineConfig() {
            @Override
            public Optional<Integer> poolSize() {
                return Optional.of(poolSize);
            }

            @Override
            public Duration timeout() {
                return timeout;
            }

            @Override
            public Duration acquireTimeout() {
                return acquireTimeout;
            }

            @Override
            public int maxMemoryPages() {
                return maxMemoryPages;
            }

            @Override
            public Duration smokeTimeout() {
                return smokeTimeout;
            }
        };
    }
}
