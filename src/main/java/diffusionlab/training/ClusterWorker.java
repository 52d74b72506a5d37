package diffusionlab.training;

import diffusionlab.training.store.CheckpointPolicy;
import diffusionlab.training.store.JdbcRunStore;
import diffusionlab.training.store.LeaseLostException;
import diffusionlab.training.store.LiveBus;
import diffusionlab.training.store.LiveNotice;
import diffusionlab.training.store.LivePublisher;
import diffusionlab.training.store.RunQueue;
import diffusionlab.training.store.RunRecorder;
import diffusionlab.training.store.StoreException;
import diffusionlab.training.store.StoreSettings;
import diffusionlab.training.store.StoreWriter;
import diffusionlab.training.store.StoredRun;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker role (docs/SCALING.md): trains runs from the queue that worker processes share in PostgreSQL, at
 * most {@code slots} at once. It claims the oldest claimable run ({@link RunQueue#claim}), resumes it from its
 * last checkpoint with the same {@link RunWorker} the single process uses, renews its lease every
 * {@link RunQueue#RENEW_MILLIS} and gives the run up when it is paused, ends, or this process shuts down. Every
 * write for a run is fenced by its lease: a worker that lost a run (its lease lapsed, e.g. the database was out
 * of reach for longer than the lease, or the run was deleted) stops training it at the next step and writes
 * nothing more for it. Controls from the web instances arrive by NOTIFY at once, and with the next renewal
 * should a notice be missed.
 */
public final class ClusterWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterWorker.class);
    static final long CLAIM_MILLIS = 500;

    private record Held(Run run, RunQueue.Lease lease, AtomicBoolean lost, AtomicLong renewedAt /* nanoTime */) {
    }

    private final int slots;
    private final JdbcRunStore store;
    private final CheckpointPolicy checkpoints;
    private final RunQueue queue;
    private final StoreWriter writer;
    private final LivePublisher publisher;
    private final LiveBus bus;
    private final ExecutorService workers;
    private final ExecutorService visuals;
    private final ExecutorService sweeps;
    private final ScheduledExecutorService clock;
    private final ScheduledExecutorService watchdog; // not held up by a renewal waiting for the database
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private volatile boolean closed;

    /** Opens the PostgreSQL store the settings name and starts claiming runs. */
    public static ClusterWorker open(int slots, StoreSettings settings) {
        JdbcRunStore store = JdbcRunStore.open(settings).notifying();
        try {
            return new ClusterWorker(slots, store, settings.checkpoints(), newName()).start();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    ClusterWorker(int slots, JdbcRunStore store, CheckpointPolicy checkpoints, String name) {
        this.slots = slots;
        this.store = store;
        this.checkpoints = checkpoints;
        this.queue = store.queue(name);
        this.writer = new StoreWriter(store, (id, reason) -> lost(id, reason), StoreWriter.Fatal.HALT, 500,
                StoreWriter.Retry.DEFAULT);
        this.publisher = store.publisher(id -> lost(id, "its lease is gone"));
        this.bus = store.bus(new LiveBus.Listener() {
            @Override
            public void notice(String channel, String payload) {
                onNotice(channel, payload);
            }

            @Override
            public void reconnected() {
                wake();
            }
        }, LiveNotice.RUNS);
        this.workers = Executors.newFixedThreadPool(slots, named("run-worker"));
        this.visuals = Executors.newSingleThreadExecutor(named("run-visuals"));
        this.sweeps = Executors.newSingleThreadExecutor(named("run-quality-sweeps")); // QualitySweep, beside training
        this.clock = Executors.newScheduledThreadPool(1, named("run-leases"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(named("run-lease-watchdog"));
    }

    static String newName() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return "worker-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(b);
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    ClusterWorker start() {
        bus.start();
        clock.scheduleWithFixedDelay(this::claimSafely, 0, CLAIM_MILLIS, TimeUnit.MILLISECONDS);
        clock.scheduleWithFixedDelay(this::renewAll, RunQueue.RENEW_MILLIS, RunQueue.RENEW_MILLIS, TimeUnit.MILLISECONDS);
        watchdog.scheduleWithFixedDelay(this::stopUnrenewed, 250, 250, TimeUnit.MILLISECONDS);
        LOG.info("{} trains up to {} run(s) at once from {}", queue.worker(), slots, store.description());
        return this;
    }

    public String name() {
        return queue.worker();
    }

    /** The runs this worker trains now. */
    public int training() {
        return held.size();
    }

    private void wake() {
        if (!closed) {
            clock.execute(this::claimSafely);
        }
    }

    private void claimSafely() {
        if (closed || !claiming.compareAndSet(false, true)) {
            return;
        }
        try {
            while (!closed && held.size() < slots) {
                Optional<RunQueue.Claim> claim = queue.claim();
                if (claim.isEmpty()) {
                    break;
                }
                begin(claim.get());
            }
        } catch (RuntimeException e) {
            LOG.debug("could not claim a run: {}", e.getMessage());
        } finally {
            claiming.set(false);
        }
    }

    private void begin(RunQueue.Claim claim) {
        RunQueue.Lease lease = claim.lease();
        String id = lease.runId();
        StoredRun stored;
        try {
            stored = store.loadRun(id).orElse(null);
        } catch (RuntimeException e) {
            stored = null;
        }
        if (stored == null) { // unreadable by this version: left as it is
            releaseQuietly(lease);
            return;
        }
        writer.fence(id, lease.generation());
        publisher.fence(id, lease.generation());
        RunRecorder recorder = new RunRecorder(id, writer, publisher);
        Run run = Run.restore(stored, recorder, store);
        Held h = new Held(run, lease, new AtomicBoolean(), new AtomicLong(System.nanoTime()));
        held.put(id, h);
        LOG.info("{} trains run {} from step {} (lease {})", queue.worker(), id, Math.max(0, stored.checkpointStep()),
                lease.generation());
        workers.execute(() -> train(h, recorder));
        if (claim.requested() != null) {
            clock.schedule(() -> apply(h, claim.requested()), 200, TimeUnit.MILLISECONDS);
        }
    }

    /** A run to reflow, read from the store (a worker holds only the runs it trains). */
    private Optional<Reflow.Parent> reflowParent(String id) {
        try {
            return Optional.of(Reflow.Parent.load(store, id));
        } catch (IllegalArgumentException e) {
            LOG.warn("cannot reflow {}: {}", id, e.getMessage());
            return Optional.empty();
        }
    }

    private void train(Held h, RunRecorder recorder) {
        String id = h.lease().runId();
        try {
            new RunWorker(h.run(), visuals, sweeps, recorder, checkpoints, () -> store.loadCheckpoint(id),
                    this::reflowParent).run();
        } finally {
            if (!h.lost().get()) {
                publisher.drain(id, 5_000);
                writer.flush(id, Duration.ofSeconds(10));
                releaseQuietly(h.lease());
            }
            writer.forget(id);
            publisher.forget(id);
            held.remove(id, h);
            wake();
        }
    }

    private void releaseQuietly(RunQueue.Lease lease) {
        try {
            queue.release(lease);
        } catch (RuntimeException e) { // the lease lapses on its own
            LOG.warn("run {}: could not give it up ({}); its lease lapses in {} s", lease.runId(), e.getMessage(),
                    RunQueue.LEASE_MILLIS / 1000);
        }
    }

    private void renewAll() {
        for (Held h : held.values()) {
            renew(h);
        }
        claimSafely();
    }

    private void renew(Held h) {
        if (h.lost().get()) {
            return;
        }
        try {
            RunQueue.Renewal renewal = queue.renew(h.lease());
            h.renewedAt().set(System.nanoTime());
            h.run().watchedElsewhere(renewal.watched());
            if (renewal.requested() != null) {
                apply(h, renewal.requested());
            }
        } catch (LeaseLostException e) {
            lost(h.lease().runId(), e.getMessage());
        } catch (StoreException e) {
            LOG.debug("run {}: could not renew its lease ({})", h.lease().runId(), e.getMessage());
        }
    }

    /**
     * A run whose lease could not be renewed for {@link RunQueue#LEASE_MILLIS} less one renewal (the database is
     * out of reach) stops here, before its lease lapses and another worker may claim it.
     */
    private void stopUnrenewed() {
        for (Held h : held.values()) {
            long since = (System.nanoTime() - h.renewedAt().get()) / 1_000_000;
            if (since >= RunQueue.LEASE_MILLIS - RunQueue.RENEW_MILLIS) {
                lost(h.lease().runId(), "its lease could not be renewed for " + since / 1000 + " s");
            }
        }
    }

    /** A control a web instance asked for. */
    private void apply(Held h, String control) {
        Run run = h.run();
        switch (control) {
            case "PAUSE" -> {
                if (run.pauseHere()) {
                    run.halt(); // saves a checkpoint and gives the run up; a resume queues it again
                }
            }
            case "STOP" -> run.stopHere();
            default -> { } // RESUME: the run is being given up after a pause; the release queues it
        }
    }

    /** The run is no longer this worker's (or cannot be stored): it stops at the next step, writing nothing more. */
    private void lost(String id, String why) {
        Held h = held.get(id);
        if (h == null || !h.lost().compareAndSet(false, true)) {
            return;
        }
        LOG.warn("{} stops training run {}: {}", queue.worker(), id, why);
        writer.forget(id);
        publisher.forget(id);
        h.run().halt();
    }

    private void onNotice(String channel, String payload) {
        if (!LiveNotice.RUNS.equals(channel)) {
            return;
        }
        LiveNotice.RunChange change = LiveNotice.RunChange.parse(payload);
        Held h = held.get(change.runId());
        switch (change.kind()) {
            case LiveNotice.RunChange.CREATED -> wake();
            case LiveNotice.RunChange.DELETED -> {
                if (h != null) {
                    lost(change.runId(), "it was deleted");
                }
            }
            case LiveNotice.RunChange.CONTROL -> {
                if (h != null) {
                    clock.execute(() -> renew(h));
                }
            }
            default -> { }
        }
    }

    /**
     * Shuts down: every run stops at its next step with a checkpoint and is given up, so that another worker
     * resumes it at once.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        clock.shutdown();
        watchdog.shutdownNow();
        held.values().forEach(h -> h.run().halt());
        workers.shutdown();
        try {
            if (!workers.awaitTermination(20, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        visuals.shutdownNow();
        sweeps.shutdownNow();
        bus.close();
        publisher.close();
        writer.close();
        store.close();
    }
}
