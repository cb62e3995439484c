package dev.portcullis.gate.bundles;

import dev.portcullis.gate.engine.Evaluation;
import dev.portcullis.gate.engine.PolicyEngine;
import dev.portcullis.gate.engine.SmokeResult;
import dev.portcullis.rego.bundle.BundleDigest;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import dev.portcullis.gate.json.LogText;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The registry of bundle versions: files {@code <dir>/<name>/<revision>.tar.gz} and uploads.
 *
 * <p><b>Loading.</b> Every file is verified before it is listed: optional {@code <revision>.tar.gz.sha256} sidecar
 * (first token = hex SHA-256 of the file), format, signature ({@link BundleVerifier}), manifest revision = file
 * name stem, manifest {@code metadata.name} (if present) = directory name, OPA ABI surface, and a smoke evaluation
 * by the {@link PolicyEngine}. A bad file is logged and listed in {@link #rejections()}; it never replaces a loaded
 * version (a changed file whose revision is already loaded with other bytes is rejected {@code revision_conflict}).
 * Files are re-examined when their size or mtime changes (so a half-copied file is retried). Removed files stay
 * loaded until restart. Directory and file names starting with "." are ignored (upload temp files).
 *
 * <p><b>Activation.</b> Per name, the active version is held in an {@link AtomicReference}: activation is a
 * single atomic swap and in-flight evaluations keep the {@link BundleVersion} they obtained. The previous
 * active version is the rollback target. The choice is persisted in {@code bundle_activation} before the swap,
 * and restored at startup. When a name has no recorded choice (or the recorded revision is not loadable), the
 * startup default is {@code portcullis.bundles.active.<name>} if set and loaded, else the highest revision by
 * {@link NaturalOrder} (digit runs compare numerically: 9 &lt; 10, v1.9 &lt; v1.10). Defaults are not persisted.
 * New revisions of a name that already has an active version are never activated automatically; a name first seen
 * by the directory poller gets its default; an uploaded revision is not activated.
 *
 * <p><b>Locking.</b> Bytes become versions through {@link BundleIntake} (verify, then a smoke
 * evaluation under the engine's budget) without any lock held; only the short state changes
 * (registering a version, an activation swap) take the registry lock, so a bundle that never
 * finishes instantiating cannot stall activation or the poller. Directory scans are serialised
 * among themselves by a separate lock.
 *
 * <p><b>Shadow.</b> A shadow revision per name can be evaluated alongside the active one
 * ({@link #shadowEvaluate}); disagreements are counted, the last {@code shadow-history} kept in memory and every
 * one stored in {@code shadow_difference}.
 */
@ApplicationScoped
public class BundleRegistry {

    private static final Logger LOG = Logger.getLogger(BundleRegistry.class);
    private static final String SUFFIX = ".tar.gz";

    private final BundlesConfig config;
    private final PolicyEngine engine;
    private final ActivationStore store;
    private final Path root;
    private final Map<String, PublicKey> keys;

    private final Map<String, ConcurrentSkipListMap<String, BundleVersion>> versions = new ConcurrentHashMap<>();
    /** Sorted by name, so lookups that prefer the lowest name need no copy on the decision path. */
    private final Map<String, Slot> slots = new ConcurrentSkipListMap<>();
    private final Map<Path, String> seen = new ConcurrentHashMap<>();
    private final Deque<Rejection> rejections = new ArrayDeque<>();
    private final Map<String, ActivationStore.Activation> recorded = new ConcurrentHashMap<>();
    /** Guards registration and activation state; never held while a bundle is verified or instantiated. */
    private final Object lock = new Object();
    /** Serialises directory scans (the poller, startup, explicit {@link #scan()} calls). */
    private final Object scanLock = new Object();
    private final BundleIntake intake;
    private final ExecutorService shadowExecutor;
    private volatile boolean started;

    /** Per-name activation state. */
    private static final class Slot {
        final AtomicReference<BundleVersion> active = new AtomicReference<>();
        volatile BundleVersion previous;
        volatile Instant activatedAt;
        volatile String activatedBy;
        volatile BundleVersion shadow;
        volatile ShadowStats stats;
    }

    private static final class ShadowStats {
        final String revision;
        final Instant since = Instant.now();
        final AtomicLong evaluated = new AtomicLong();
        final AtomicLong agreed = new AtomicLong();
        final AtomicLong differed = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final Deque<ShadowDifference> recent = new ArrayDeque<>();
        final int history;

        ShadowStats(String revision, int history) {
            this.revision = revision;
            this.history = Math.max(1, history);
        }

        synchronized void add(ShadowDifference d) {
            recent.addFirst(d);
            while (recent.size() > history) {
                recent.removeLast();
            }
        }

        synchronized List<ShadowDifference> recent() {
            return List.copyOf(recent);
        }
    }

    @Inject
    BundleRegistry(BundlesConfig config, PolicyEngine engine, AgroalDataSource dataSource) {
        this(config, engine, (DataSource) dataSource);
    }

    /**
     * For use without CDI (tests, tools). {@code dataSource} may be null: activation is then not persisted.
     * Call {@link #start()} afterwards.
     */
    public BundleRegistry(BundlesConfig config, PolicyEngine engine, DataSource dataSource) {
        this.config = config;
        this.engine = engine;
        this.store = dataSource == null ? null : new ActivationStore(dataSource);
        this.root = Path.of(config.dir()).toAbsolutePath().normalize();
        this.keys = PublicKeys.load(config);
        this.intake = new BundleIntake(config, engine, keys);
        this.shadowExecutor = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1000), r -> {
            Thread t = new Thread(r, "portcullis-shadow");
            t.setDaemon(true);
            return t;
        });
    }

    void onStart(@Observes StartupEvent ev) {
        start();
    }

    /** Restores recorded activations and loads every bundle file. Idempotent. */
    public void start() {
        synchronized (scanLock) {
            if (started) {
                return;
            }
            if (config.requireSignature() && keys.isEmpty()) {
                LOG.warn("portcullis.bundles.require-signature=true but no public keys are configured: "
                        + "every bundle will be rejected");
            }
            if (store != null) {
                try {
                    recorded.putAll(store.loadAll());
                } catch (SQLException | RuntimeException e) {
                    LOG.errorf(e, "cannot read bundle_activation; using configured/default activations");
                }
            }
            LOG.infof("bundle registry: dir=%s, signatures %s, %d public key(s) %s", root,
                    config.requireSignature() ? "required" : "optional", keys.size(), keys.keySet());
            scanDirectory(true);
            started = true;
        }
    }

    /**
     * The poller ({@code portcullis.bundles.poll-interval}): scans the directory, then follows
     * activations and rollbacks that other instances on the same database recorded.
     */
    @Scheduled(every = "${portcullis.bundles.poll-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (started) {
            try {
                scan();
            } catch (RuntimeException e) {
                LOG.errorf(e, "bundle directory scan failed");
            }
            followActivations();
        }
    }

    /**
     * Applies every {@code bundle_activation} row whose generation is newer than the one this
     * instance applied (an activation or rollback made on another instance). A row naming a revision
     * this instance has not loaded is retried on the next poll; the current version stays active.
     *
     * @return the number of activations applied
     */
    public int followActivations() {
        if (store == null) {
            return 0;
        }
        Map<String, ActivationStore.Activation> rows;
        try {
            rows = store.loadAll();
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("cannot read bundle_activation: %s", e.toString());
            return 0;
        }
        int applied = 0;
        for (ActivationStore.Activation row : rows.values()) {
            ActivationStore.Activation mine = recorded.get(row.bundleName());
            if (mine != null && mine.generation() >= row.generation()) {
                continue;
            }
            BundleVersion v = version(row.bundleName(), row.revision()).orElse(null);
            if (v == null) {
                LOG.warnf("bundle %s: revision %s activated by another instance is not loaded here",
                        row.bundleName(), LogText.quote(row.revision()));
                continue;
            }
            engine.warm(v);
            synchronized (lock) {
                mine = recorded.get(row.bundleName());
                if (mine != null && mine.generation() >= row.generation()) {
                    continue; // a local change or another poll got there first
                }
                Slot s = slot(row.bundleName());
                s.previous = row.previousRevision() == null ? null
                        : version(row.bundleName(), row.previousRevision()).orElse(null);
                s.activatedAt = row.activatedAt();
                s.activatedBy = row.activatedBy();
                s.active.set(v);
                recorded.put(row.bundleName(), row);
                engine.retain(retained());
                applied++;
                LOG.infof("bundle %s: following activation of %s (generation %d) by %s", row.bundleName(),
                        v.revision(), row.generation(), LogText.quote(row.activatedBy()));
            }
        }
        return applied;
    }

    /** Scans the bundle directory once; returns the versions loaded by this scan. */
    public List<BundleVersion> scan() {
        synchronized (scanLock) {
            return scanDirectory(false);
        }
    }

    private List<BundleVersion> scanDirectory(boolean startup) {
        List<BundleVersion> added = new ArrayList<>();
        Set<String> touched = new LinkedHashSet<>();
        if (Files.isDirectory(root)) {
            for (Path dir : sorted(root)) {
                String name = dir.getFileName().toString();
                if (name.startsWith(".") || !Files.isDirectory(dir)) {
                    continue;
                }
                if (!Names.bundleName(name)) {
                    LOG.warnf("ignoring bundle directory %s: invalid bundle name", LogText.quote(dir.toString()));
                    continue;
                }
                for (Path file : sorted(dir)) {
                    String fn = file.getFileName().toString();
                    if (fn.startsWith(".") || !fn.endsWith(SUFFIX) || !Files.isRegularFile(file)) {
                        continue;
                    }
                    String stamp = stamp(file);
                    if (stamp == null || stamp.equals(seen.get(file))) {
                        continue;
                    }
                    seen.put(file, stamp);
                    String revision = fn.substring(0, fn.length() - SUFFIX.length());
                    if (!Names.revision(revision)) {
                        reject(new Rejection(file.toString(), name, null, BundleRejectedException.NAME_MISMATCH,
                                "file name " + LogText.quote(fn) + " is not <revision>.tar.gz with a revision of "
                                        + Names.BUNDLE_NAME_RULE, Instant.now()));
                        continue;
                    }
                    try {
                        BundleVersion v = loadFile(name, revision, file);
                        clearRejections(file.toString());
                        if (v != null) {
                            added.add(v);
                            touched.add(name);
                            LOG.infof("loaded bundle %s@%s from %s (sha256 %s, %s)", name, v.revision(), file,
                                    v.sha256(), v.signed() ? "signed by " + v.signer() : "unsigned");
                        }
                    } catch (BundleRejectedException e) {
                        reject(new Rejection(file.toString(), name, revision, e.reason(), e.getMessage(), Instant.now()));
                    } catch (IOException | UncheckedIOException e) {
                        seen.remove(file); // retry on the next scan
                        LOG.warnf("cannot read %s: %s", file, LogText.escape(e.getMessage()));
                    }
                }
            }
        } else if (startup) {
            LOG.warnf("bundle directory %s does not exist; no bundles loaded", root);
        }
        synchronized (lock) {
            selectDefaults(startup ? versions.keySet() : touched);
            engine.retain(retained());
        }
        return added;
    }

    private static List<Path> sorted(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            LOG.warnf("cannot list %s: %s", dir, LogText.escape(e.getMessage()));
        }
        Collections.sort(out);
        return out;
    }

    private static String stamp(Path file) {
        try {
            Path side = sidecar(file);
            String s = Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
            if (Files.exists(side)) {
                s += ":" + Files.size(side) + ":" + Files.getLastModifiedTime(side).toMillis();
            }
            return s;
        } catch (IOException e) {
            return null;
        }
    }

    private static Path sidecar(Path file) {
        return file.resolveSibling(file.getFileName() + ".sha256");
    }

    /** Reads, checks and admits one file; null when that exact version is already loaded. */
    private BundleVersion loadFile(String name, String revision, Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String sha = BundleDigest.sha256Hex(bytes);
        Path side = sidecar(file);
        if (Files.exists(side)) {
            String text = Files.readString(side, StandardCharsets.US_ASCII).trim();
            String expected = text.isEmpty() ? "" : text.split("\\s+")[0].toLowerCase(java.util.Locale.ROOT);
            if (!expected.equals(sha)) {
                throw new BundleRejectedException(BundleRejectedException.DIGEST_MISMATCH, "sha256 of " + file + " is "
                        + sha + " but " + side.getFileName() + " says " + LogText.quote(expected));
            }
        }
        if (alreadyLoaded(name, revision, sha, file.toString())) {
            return null; // already loaded (e.g. uploaded, or the file was touched)
        }
        BundleIntake.Source source = BundleIntake.Source.file(file.toString(), name, revision);
        BundleVersion v = intake.admit(intake.check(bytes, source), source);
        return register(v) == v ? v : null;
    }

    /** True when {@code name@revision} is loaded with {@code sha}; a conflict when it is loaded with other bytes. */
    private boolean alreadyLoaded(String name, String revision, String sha, String what) {
        BundleVersion existing = version(name, revision).orElse(null);
        if (existing == null) {
            return false;
        }
        if (existing.sha256().equals(sha)) {
            return true;
        }
        throw new BundleRejectedException(BundleRejectedException.REVISION_CONFLICT, name + "@" + revision
                + " is already loaded with sha256 " + existing.sha256() + "; " + what + " has " + sha);
    }

    /**
     * Adds an admitted version; returns it, or the version already registered under its name and
     * revision with the same bytes (a concurrent intake of the same bundle).
     */
    private BundleVersion register(BundleVersion v) {
        synchronized (lock) {
            BundleVersion existing = version(v.name(), v.revision()).orElse(null);
            if (existing != null) {
                if (existing.sha256().equals(v.sha256())) {
                    return existing;
                }
                throw new BundleRejectedException(BundleRejectedException.REVISION_CONFLICT, v.name() + "@"
                        + v.revision() + " is already loaded with sha256 " + existing.sha256() + "; " + v.source()
                        + " has " + v.sha256());
            }
            versions.computeIfAbsent(v.name(), k -> new ConcurrentSkipListMap<>(NaturalOrder.INSTANCE))
                    .put(v.revision(), v);
            slot(v.name());
            return v;
        }
    }

    private void selectDefaults(Set<String> names) {
        for (String name : new ArrayList<>(names)) {
            ConcurrentSkipListMap<String, BundleVersion> vs = versions.get(name);
            Slot slot = slot(name);
            if (vs == null || vs.isEmpty() || slot.active.get() != null) {
                continue;
            }
            BundleVersion pick = null;
            BundleVersion previous = null;
            String by;
            Instant at = Instant.now();
            ActivationStore.Activation rec = recorded.get(name);
            if (rec != null && vs.containsKey(rec.revision())) {
                pick = vs.get(rec.revision());
                previous = rec.previousRevision() == null ? null : vs.get(rec.previousRevision());
                by = rec.activatedBy();
                at = rec.activatedAt() == null ? at : rec.activatedAt();
            } else {
                if (rec != null) {
                    LOG.warnf("recorded active revision %s@%s is not loaded; falling back to the default", name,
                            rec.revision());
                }
                String configured = config.active().get(name);
                if (configured != null && vs.containsKey(configured)) {
                    pick = vs.get(configured);
                    by = "config";
                } else {
                    if (configured != null) {
                        LOG.warnf("portcullis.bundles.active.%s=%s is not loaded; using the highest revision", name,
                                configured);
                    }
                    pick = vs.lastEntry().getValue();
                    by = "default:highest";
                }
            }
            slot.previous = previous;
            slot.activatedAt = at;
            slot.activatedBy = by;
            slot.active.set(pick);
            LOG.infof("bundle %s: active revision %s (%s)", name, pick.revision(), by);
        }
    }

    private Slot slot(String name) {
        return slots.computeIfAbsent(name, k -> new Slot());
    }

    private Set<BundleVersion> retained() {
        Set<BundleVersion> keep = new HashSet<>();
        for (Slot s : slots.values()) {
            keep.add(s.active.get());
            keep.add(s.previous);
            keep.add(s.shadow);
        }
        keep.remove(null);
        return keep;
    }

    private void reject(Rejection r) {
        LOG.warnf("rejected bundle %s (%s): %s", LogText.quote(r.source()), r.reason(), LogText.escape(r.message()));
        synchronized (rejections) {
            if (!"upload".equals(r.source())) {
                rejections.removeIf(x -> x.source().equals(r.source()));
            }
            rejections.addFirst(r);
            while (rejections.size() > Math.max(1, config.rejectionHistory())) {
                rejections.removeLast();
            }
        }
    }

    private void clearRejections(String source) {
        synchronized (rejections) {
            rejections.removeIf(x -> x.source().equals(source));
        }
    }

    // ---------------------------------------------------------------------------------------------- queries

    /** Every loaded version, by name then revision (natural order). */
    public List<BundleVersion> versions() {
        List<BundleVersion> out = new ArrayList<>();
        for (String n : names()) {
            out.addAll(versions(n));
        }
        return out;
    }

    /** The loaded versions of {@code name} in natural revision order (empty when unknown). */
    public List<BundleVersion> versions(String name) {
        ConcurrentSkipListMap<String, BundleVersion> vs = versions.get(name);
        return vs == null ? List.of() : List.copyOf(vs.values());
    }

    public Optional<BundleVersion> version(String name, String revision) {
        ConcurrentSkipListMap<String, BundleVersion> vs = versions.get(name);
        return vs == null || revision == null ? Optional.empty() : Optional.ofNullable(vs.get(revision));
    }

    /** Names with at least one loaded version, sorted. */
    public Set<String> names() {
        Set<String> out = new TreeSet<>();
        versions.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.add(k);
            }
        });
        return out;
    }

    /** The active version of {@code name} (one volatile read; safe to use for a whole evaluation). */
    public Optional<BundleVersion> active(String name) {
        Slot s = slots.get(name);
        return s == null ? Optional.empty() : Optional.ofNullable(s.active.get());
    }

    /** The rollback target of {@code name}. */
    public Optional<BundleVersion> previous(String name) {
        Slot s = slots.get(name);
        return s == null ? Optional.empty() : Optional.ofNullable(s.previous);
    }

    public Optional<ActivationState> state(String name) {
        Slot s = slots.get(name);
        if (s == null) {
            return Optional.empty();
        }
        return Optional.of(new ActivationState(name, s.active.get(), s.previous, s.shadow, s.activatedAt, s.activatedBy));
    }

    /**
     * The active version whose manifest lists {@code entrypoint} ({@code pkg/rule}); when several bundles serve it,
     * the one with the lowest name (String order) wins.
     */
    public Optional<BundleVersion> activeFor(String entrypoint) {
        for (Slot slot : slots.values()) {
            BundleVersion v = slot.active.get();
            if (v != null && v.entrypoints().contains(entrypoint)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** Refused bundles, newest first (one entry per file; every refused upload). */
    public List<Rejection> rejections() {
        synchronized (rejections) {
            return List.copyOf(rejections);
        }
    }

    /** True when at least one bundle is active (each active version passed its smoke evaluation when loaded). */
    public boolean hasActive() {
        return slots.values().stream().anyMatch(s -> s.active.get() != null);
    }

    /**
     * Re-runs the engine's smoke evaluation on every active version (for a readiness check: UP when this is
     * non-empty and every result is ok). Costs one evaluation per entrypoint.
     */
    public Map<String, SmokeResult> smokeActive() {
        Map<String, SmokeResult> out = new java.util.TreeMap<>();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            BundleVersion v = e.getValue().active.get();
            if (v != null) {
                out.put(e.getKey(), engine.smokeTest(v));
            }
        }
        return out;
    }

    public boolean started() {
        return started;
    }

    public Path directory() {
        return root;
    }

    // ---------------------------------------------------------------------------------------------- changes

    /**
     * Verifies and stores an uploaded bundle as {@code <dir>/<name>/<revision>.tar.gz} (name = manifest
     * {@code metadata.name}, else {@code portcullis.bundles.default-name}). Not activated. Uploading the same bytes
     * again returns the existing version. Verification and the smoke evaluation run without the registry lock.
     *
     * @throws BundleRejectedException when the bundle is refused (also listed in {@link #rejections()})
     */
    public BundleVersion upload(byte[] tarGz, String by) {
        return store(tarGz, BundleIntake.Source.upload(), by).version();
    }

    /** The outcome of {@link #receive}: {@code added} is false when that exact version was already loaded. */
    public record Received(BundleVersion version, boolean added) {}

    /**
     * A bundle downloaded from a bundle server for the configured bundle {@code name}: verified,
     * smoke-evaluated and stored exactly like an upload (so a restart finds it in the directory), but
     * under {@code name} whatever the manifest's {@code metadata.name} (which must then agree). Not activated.
     *
     * @throws BundleRejectedException when the bundle is refused (also listed in {@link #rejections()})
     */
    public Received receive(byte[] tarGz, String name, String source) {
        return store(tarGz, new BundleIntake.Source(source, name, null), source);
    }

    private Received store(byte[] tarGz, BundleIntake.Source source, String by) {
        String name = null;
        String revision = null;
        try {
            BundleIntake.Checked c = intake.check(tarGz, source);
            name = c.name();
            revision = c.revision();
            Path target = root.resolve(name).resolve(revision + SUFFIX);
            BundleVersion existing = version(name, revision).orElse(null);
            if (existing != null) {
                if (existing.sha256().equals(c.sha256())) {
                    return new Received(existing, false);
                }
                throw new BundleRejectedException(BundleRejectedException.REVISION_CONFLICT, name + "@" + revision
                        + " already exists with sha256 " + existing.sha256() + "; upload has " + c.sha256());
            }
            checkTarget(target, c.sha256());
            BundleVersion admitted = intake.admit(c, source);
            synchronized (lock) {
                BundleVersion v = register(admitted);
                if (v != admitted) {
                    return new Received(v, false); // the same bytes arrived through another path meanwhile
                }
                try {
                    store(target, tarGz, c.sha256());
                } catch (IOException | RuntimeException e) {
                    versions.get(name).remove(revision);
                    throw e;
                }
                engine.retain(retained());
            }
            LOG.infof("received bundle %s@%s from %s (sha256 %s, %s)", name, revision, LogText.quote(by),
                    admitted.sha256(), admitted.signed() ? "signed by " + admitted.signer() : "unsigned");
            return new Received(admitted, true);
        } catch (BundleRejectedException e) {
            reject(new Rejection(source.description(), name == null ? source.name() : name, revision, e.reason(),
                    e.getMessage(), Instant.now()));
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store uploaded bundle: " + e.getMessage(), e);
        }
    }

    private static void checkTarget(Path target, String sha) throws IOException {
        if (Files.exists(target)) {
            String onDisk = BundleDigest.sha256Hex(Files.readAllBytes(target));
            if (!onDisk.equals(sha)) {
                throw new BundleRejectedException(BundleRejectedException.REVISION_CONFLICT, target
                        + " already exists with sha256 " + onDisk + "; upload has " + sha);
            }
        }
    }

    private void store(Path target, byte[] tarGz, String sha) throws IOException {
        checkTarget(target, sha);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.write(tmp, tarGz);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        seen.put(target, stamp(target));
        clearRejections(target.toString());
    }

    /**
     * Makes {@code name@revision} the active version (persisted first, then an atomic swap); the current active
     * version becomes the rollback target. Activating the already active revision is a no-op. The new version is
     * instantiated (warmed) before the swap, outside the registry lock.
     *
     * @throws UnknownBundleException when the name or revision is not loaded
     * @throws IllegalStateException  when the choice cannot be persisted (nothing changes)
     */
    public BundleVersion activate(String name, String revision, String by) {
        BundleVersion v = lookup(name, revision);
        if (v.equals(active(name).orElse(null))) {
            return v;
        }
        engine.warm(v);
        synchronized (lock) {
            return swap(name, lookup(name, revision), by);
        }
    }

    private BundleVersion lookup(String name, String revision) {
        if (!versions.containsKey(name)) {
            throw new UnknownBundleException(name, null);
        }
        return version(name, revision).orElseThrow(() -> new UnknownBundleException(name, revision));
    }

    /**
     * Re-activates the previous version of {@code name}; the version rolled back from becomes the new previous.
     *
     * @throws UnknownBundleException  when the name is not loaded
     * @throws BundleRejectedException {@code no_previous} when there is nothing to roll back to
     */
    public BundleVersion rollback(String name, String by) {
        if (!versions.containsKey(name)) {
            throw new UnknownBundleException(name, null);
        }
        BundleVersion prev = slot(name).previous;
        if (prev != null) {
            engine.warm(prev); // usually still pooled: the previous version is retained for exactly this
        }
        synchronized (lock) {
            Slot s = slot(name);
            prev = s.previous;
            if (prev == null) {
                throw new BundleRejectedException(BundleRejectedException.NO_PREVIOUS, "bundle " + name
                        + " has no previous revision to roll back to");
            }
            return swap(name, prev, by);
        }
    }

    /** Persists and performs an activation; caller holds {@link #lock}. Instantiates nothing. */
    private BundleVersion swap(String name, BundleVersion v, String by) {
        Slot s = slot(name);
        BundleVersion cur = s.active.get();
        if (v.equals(cur)) {
            return cur;
        }
        Instant now = Instant.now();
        ActivationStore.Activation a = new ActivationStore.Activation(name, v.revision(),
                cur == null ? null : cur.revision(), now, by, 0);
        if (store != null) {
            try {
                a = a.withGeneration(store.save(a));
            } catch (SQLException e) {
                throw new IllegalStateException("cannot persist activation of " + name + "@" + v.revision() + ": "
                        + e.getMessage(), e);
            }
        }
        recorded.put(name, a);
        s.previous = cur;
        s.activatedAt = now;
        s.activatedBy = by;
        s.active.set(v);
        engine.retain(retained());
        LOG.infof("bundle %s: activated %s (previous %s) by %s", name, v.revision(),
                cur == null ? "none" : cur.revision(), LogText.quote(by));
        return v;
    }

    // ---------------------------------------------------------------------------------------------- shadow

    /**
     * Sets (or clears, with null) the shadow revision of {@code name}; resets its {@link ShadowReport}.
     *
     * @throws UnknownBundleException when the name or revision is not loaded
     */
    public void setShadow(String name, String revisionOrNull) {
        synchronized (lock) {
            if (!versions.containsKey(name)) {
                throw new UnknownBundleException(name, null);
            }
            Slot s = slot(name);
            if (revisionOrNull == null) {
                s.shadow = null;
                s.stats = null;
            } else {
                BundleVersion v = version(name, revisionOrNull)
                        .orElseThrow(() -> new UnknownBundleException(name, revisionOrNull));
                s.shadow = v;
                s.stats = new ShadowStats(v.revision(), config.shadowHistory());
            }
            engine.retain(retained());
        }
    }

    public Optional<BundleVersion> shadow(String name) {
        Slot s = slots.get(name);
        return s == null ? Optional.empty() : Optional.ofNullable(s.shadow);
    }

    /**
     * Convenience for the decision path: when {@code name} has a shadow revision (other than {@code activeVersion}),
     * evaluates it asynchronously with the same input and {@link #recordShadow records} the comparison. Never
     * throws; drops the shadow evaluation when the shadow queue is full.
     */
    public CompletableFuture<Void> shadowEvaluate(String name, String entrypoint, String inputJson,
            BundleVersion activeVersion, Evaluation activeEvaluation) {
        Slot s = slots.get(name);
        BundleVersion sv = s == null ? null : s.shadow;
        if (sv == null || sv.equals(activeVersion)) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return CompletableFuture.runAsync(() -> {
                Evaluation se = engine.evaluate(sv, entrypoint, inputJson);
                recordShadow(name, entrypoint, inputJson, activeVersion, activeEvaluation, sv, se);
            }, shadowExecutor);
        } catch (RejectedExecutionException e) {
            LOG.debugf("shadow queue full; dropped shadow evaluation of %s", name);
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Records one shadow comparison. Outcomes: shadow failed → {@code errors}; shadow succeeded with the same value
     * → {@code agreed}; otherwise → {@code differed}. Every non-identical outcome (anything except equal values, or
     * both failing with the same error code) is kept in the recent list and stored in {@code shadow_difference}. Ignored when the shadow of
     * {@code name} is not (or no longer) {@code shadowVersion}.
     */
    public void recordShadow(String name, String entrypoint, String inputJson, BundleVersion activeVersion,
            Evaluation active, BundleVersion shadowVersion, Evaluation shadow) {
        Slot s = slots.get(name);
        ShadowStats st = s == null ? null : s.stats;
        if (st == null || shadowVersion == null || !st.revision.equals(shadowVersion.revision())) {
            return;
        }
        st.evaluated.incrementAndGet();
        boolean same = active.ok() && shadow.ok() ? Objects.equals(active.value(), shadow.value())
                : !active.ok() && !shadow.ok() && Objects.equals(active.errorCode(), shadow.errorCode());
        if (!shadow.ok()) {
            st.errors.incrementAndGet();
        } else if (same) {
            st.agreed.incrementAndGet();
        } else {
            st.differed.incrementAndGet();
        }
        if (same) {
            return;
        }
        ShadowDifference d = new ShadowDifference(name, activeVersion == null ? null : activeVersion.revision(),
                shadowVersion.revision(), entrypoint,
                BundleDigest.sha256Hex((inputJson == null ? "{}" : inputJson).getBytes(StandardCharsets.UTF_8)),
                describe(active), describe(shadow), Instant.now());
        st.add(d);
        if (store != null) {
            try {
                store.insertDifference(d);
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("cannot store shadow difference for %s: %s", name, e.getMessage());
            }
        }
    }

    private static String describe(Evaluation e) {
        return e.ok() ? e.resultSetJson() : "error:" + e.errorCode() + ": " + e.errorMessage();
    }

    /**
     * The shadow report of {@code name} (zero counts and a null revision when no shadow is set).
     *
     * @throws UnknownBundleException when the name is not loaded
     */
    public ShadowReport shadowReport(String name) {
        if (!versions.containsKey(name)) {
            throw new UnknownBundleException(name, null);
        }
        Slot s = slot(name);
        ShadowStats st = s.stats;
        if (st == null) {
            return new ShadowReport(name, null, 0, 0, 0, 0, null, List.of());
        }
        return new ShadowReport(name, st.revision, st.evaluated.get(), st.agreed.get(), st.differed.get(),
                st.errors.get(), st.since, st.recent());
    }

    @PreDestroy
    void stop() {
        shadowExecutor.shutdownNow();
    }

    /** For use without CDI. */
    public void close() {
        stop();
    }
}
