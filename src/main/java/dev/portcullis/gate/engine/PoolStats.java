package dev.portcullis.gate.engine;

/**
 * A snapshot of one bundle version's instance pool.
 *
 * @param size      live instances (idle + in use)
 * @param inUse     instances currently borrowed
 * @param max       configured maximum
 * @param created   instances created since the pool was created
 * @param discarded instances thrown away (error, timeout)
 */
public record PoolStats(int size, int inUse, int max, long created, long discarded) {
    public static final PoolStats EMPTY = new PoolStats(0, 0, 0, 0, 0);
}
