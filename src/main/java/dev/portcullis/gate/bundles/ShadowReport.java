package dev.portcullis.gate.bundles;

import java.time.Instant;
import java.util.List;

/**
 * Counters of shadow evaluations for one bundle name since the shadow revision was set.
 * {@code evaluated = agreed + differed + errors}: {@code errors} counts shadow evaluations that failed (they are
 * also listed among the differences when the active evaluation did not fail the same way); {@code differed}
 * counts successful shadow evaluations whose result differs from the active one.
 *
 * @param recentDifferences the last {@code portcullis.bundles.shadow-history} differences, newest first
 */
public record ShadowReport(String bundleName, String shadowRevision, long evaluated, long agreed, long differed,
        long errors, Instant since, List<ShadowDifference> recentDifferences) {}
