package diffusionlab.training;

import diffusionlab.engine.InvalidConfigException;
import diffusionlab.training.store.Checkpoint;
import diffusionlab.training.store.CheckpointPolicy;
import diffusionlab.training.store.JdbcRunStore;
import diffusionlab.training.store.PrunePolicy;
import diffusionlab.training.store.RunRecorder;
import diffusionlab.training.store.RunStore;
import diffusionlab.training.store.StoreSettings;
import diffusionlab.training.store.StoreWriter;
import diffusionlab.training.store.StoredRun;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All runs: creates them, queues them so that at most {@code maxConcurrent} train at once (first come, first
 * served, positions published live), and finds, lists and deletes them. With a {@link RunStore} every run is
 * recorded as it trains; on start the stored runs come back (finished ones viewable, the others resumed from
 * their last checkpoint, oldest first) and finished runs beyond the {@link PrunePolicy} are deleted, again
 * after each run ends. {@link #close} halts training with a checkpoint, so a restart resumes it. In the web role
 * ({@link #openMirror}) it trains nothing: worker processes do ({@link ClusterWorker}), and it mirrors their runs.
 */
public final class RunRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunRegistry.class);
    private static final String ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final LinkedHashSet<Run> queued = new LinkedHashSet<>();
    private final Training training; // null in the web role: worker processes train the runs
    private final SecureRandom random = new SecureRandom();
    private final int maxConcurrent;
    private final RunStore store;
    private final CheckpointPolicy checkpoints;
    private final PrunePolicy retention;
    private final RunMirrors mirrors; // the web role: workers train the runs, this registry mirrors them
    private volatile boolean closed;

    /** A registry that keeps nothing: runs last as long as the process. */
    public RunRegistry(int maxConcurrent) {
        this(maxConcurrent, RunStore.none(), CheckpointPolicy.DEFAULT, PrunePolicy.KEEP_ALL);
    }

    /** Opens the store the settings name (DATA_DIR or DATABASE_URL) and brings its runs back. */
    public static RunRegistry open(int maxConcurrent, StoreSettings settings) {
        RunStore store = JdbcRunStore.open(settings);
        try {
            return new RunRegistry(maxConcurrent, store, settings.checkpoints(), settings.retention());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** A registry over the given store (which it closes on {@link #close}); loads and resumes its runs. */
    public RunRegistry(int maxConcurrent, RunStore store, CheckpointPolicy checkpoints, PrunePolicy retention) {
        this(maxConcurrent, store, checkpoints, retention, StoreWriter.Retry.DEFAULT);
    }

    /**
     * The web role (docs/SCALING.md): a registry of the runs that worker processes train, over their shared
     * PostgreSQL store. It trains nothing: a new run is stored queued (at once, so a worker can claim it), and
     * every run shows what its worker publishes ({@link RunMirrors}); controls and deletions go to the store.
     */
    public static RunRegistry openMirror(StoreSettings settings) {
        JdbcRunStore store = JdbcRunStore.open(settings).notifying();
        try {
            return new RunRegistry(store, settings.retention());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    RunRegistry(JdbcRunStore store, PrunePolicy retention) {
        this.maxConcurrent = 0;
        this.store = store;
        this.checkpoints = CheckpointPolicy.DEFAULT;
        this.retention = retention;
        this.training = null;
        this.mirrors = new RunMirrors(this, store);
        try {
            mirrors.start();
        } catch (RuntimeException e) {
            mirrors.close();
            throw e;
        }
        prune();
    }

    RunRegistry(int maxConcurrent, RunStore store, CheckpointPolicy checkpoints, PrunePolicy retention,
                StoreWriter.Retry retry) {
        this.mirrors = null;
        this.maxConcurrent = maxConcurrent;
        this.store = store;
        this.checkpoints = checkpoints;
        this.retention = retention;
        this.training = new Training(new StoreWriter(store, this::storageFailed, StoreWriter.Fatal.HALT, 500, retry),
                Executors.newFixedThreadPool(maxConcurrent, named("run-worker")),
                Executors.newSingleThreadExecutor(named("run-visuals")),
                Executors.newSingleThreadExecutor(named("run-quality-sweeps"))); // QualitySweep, beside training
        try {
            restoreStoredRuns();
        } catch (RuntimeException e) {
            training.close();
            throw e;
        }
        prune();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        };
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** Creates a run, records it and queues it for training. */
    public Run create(RunConfig config, String ownerHash) {
        if (closed) {
            throw new IllegalStateException("the registry is closed");
        }
        config = reflowConfig(config);
        String id = newId();
        if (mirrors != null) {
            Run run = mirrors.create(id, config, ownerHash);
            runs.put(id, run);
            queue(run);
            return run;
        }
        RunRecorder recorder = new RunRecorder(id, training.writer());
        Run run = new Run(id, config, ownerHash, System.currentTimeMillis(), recorder, store);
        training.writer().insert(new StoredRun(id, ownerHash, run.createdAtMillis(), config, RunState.QUEUED, 0, null, 0, -1));
        runs.put(id, run);
        enqueue(run, recorder, null);
        return run;
    }

    /**
     * A reflow's parent ({@link RunConfig#reflowFrom}) must be a finished flow_matching run here; throws
     * {@link InvalidConfigException} naming {@code reflowFrom} otherwise. A reflow learns its parent's data (its
     * pairs are the parent's samples), so it is measured against that data: the config with the parent's dataset.
     * A config without a parent is returned as it is.
     */
    public RunConfig reflowConfig(RunConfig config) {
        String parentId = config.reflowFrom();
        if (parentId == null) {
            return config;
        }
        Run parent = runs.get(parentId);
        if (parent == null) {
            throw new InvalidConfigException("reflowFrom", "reflowFrom: there is no run " + parentId);
        }
        if (!parent.config().experiment().objective().isFlowModel()) {
            throw new InvalidConfigException("reflowFrom", "reflowFrom: run " + parentId + " is a "
                    + parent.config().experiment().objective().id() + " model; reflow straightens a flow_matching run");
        }
        if (parent.state() != RunState.DONE) {
            throw new InvalidConfigException("reflowFrom", "reflowFrom: run " + parentId + " is "
                    + parent.state().id() + "; reflow needs a flow that has finished training");
        }
        return Reflow.onParentsData(config, parent.config());
    }

    /** A run to reflow, with its latest weights, if it is here and has any. */
    private Optional<Reflow.Parent> reflowParent(String id) {
        return get(id).flatMap(r -> r.weights().map(w -> new Reflow.Parent(r.config(), w)));
    }

    /** The reflows of a run, oldest first. */
    public List<Run> children(String id) {
        return list().stream().filter(r -> id.equals(r.config().reflowFrom()))
                .sorted(Comparator.comparingLong(Run::createdAtMillis)).toList();
    }

    /** Brings back every stored run: finished ones as they ended, the others queued to resume. */
    private void restoreStoredRuns() {
        long started = System.nanoTime();
        List<StoredRun> stored = store.loadRuns();
        int resumed = 0;
        for (StoredRun s : stored) {
            RunRecorder recorder = new RunRecorder(s.id(), training.writer());
            Run run = Run.restore(s, recorder, store);
            runs.put(s.id(), run);
            if (!s.state().isTerminal()) {
                run.restoreHistory(store.loadHistory(s.id()).upTo(Math.max(0, s.checkpointStep())));
                enqueue(run, recorder, () -> store.loadCheckpoint(s.id()));
                resumed++;
            }
        }
        if (!stored.isEmpty()) {
            LOG.info("restored {} run(s) from {} in {} ms; {} resume training", stored.size(), store.description(),
                    (System.nanoTime() - started) / 1_000_000, resumed);
        }
    }

    private void enqueue(Run run, RunRecorder recorder,
                         Supplier<Optional<Checkpoint>> resumeFrom) {
        queue(run);
        training.workers().execute(() -> {
            dequeue(run);
            new RunWorker(run, training.visuals(), training.sweeps(), recorder, checkpoints, resumeFrom,
                    this::reflowParent).run();
            if (!closed) {
                prune();
            }
        });
    }

    private void dequeue(Run run) {
        synchronized (queued) {
            queued.remove(run);
            int position = 1;
            for (Run r : queued) {
                r.setQueuePosition(position++);
            }
        }
    }

    private String newId() {
        while (true) {
            StringBuilder sb = new StringBuilder(10);
            for (int i = 0; i < 10; i++) {
                sb.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
            }
            String id = sb.toString();
            if (!runs.containsKey(id)) {
                return id;
            }
        }
    }

    public Optional<Run> get(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(runs.get(id));
    }

    /** All runs, newest first. */
    public List<Run> list() {
        List<Run> all = new ArrayList<>(runs.values());
        all.sort(Comparator.comparingLong(Run::createdAtMillis).reversed().thenComparing(Run::id));
        return all;
    }

    /** Stops and forgets a run, and deletes it from the store. */
    public boolean delete(String id) {
        if (mirrors != null) {
            mirrors.delete(id); // at once: the worker that trains it stops as its next write finds it gone
        }
        Run run = runs.remove(id);
        if (run == null) {
            return false;
        }
        run.delete();
        dequeue(run);
        if (training != null) {
            training.writer().delete(id);
        }
        return true;
    }

    // --- the web role: what the mirrors change -------------------------------------------------------

    /**
     * The document {@code name} that the web instances share (the class's presentation and switches): through
     * the store in the web role, in memory otherwise. Hold on to it: each call in the single process is a new one.
     */
    public SharedDocument sharedDocument(String name) {
        return mirrors != null ? mirrors.document(name) : SharedDocument.inMemory();
    }

    /** Whether workers train this registry's runs (the web role). */
    public boolean mirrorsWorkers() {
        return mirrors != null;
    }

    /**
     * Whether the store answers, as far as this registry knows without asking: always in the single process
     * (its writer retries on its own); in the web role, whether it hears the other processes now.
     */
    public boolean storeReachable() {
        return mirrors == null || mirrors.listening();
    }

    void addMirror(Run run) {
        if (runs.putIfAbsent(run.id(), run) == null && run.state() == RunState.QUEUED) {
            queue(run);
        }
    }

    void forgetMirror(String id) {
        Run run = runs.remove(id);
        if (run != null) {
            run.delete();
            dequeue(run);
        }
    }

    /** A mirror's state changed: queue positions follow (the queue is every web instance's, oldest first). */
    void mirrorMoved(Run run) {
        boolean queuedNow = run.state() == RunState.QUEUED;
        boolean inLine;
        synchronized (queued) {
            inLine = queued.contains(run);
        }
        if (queuedNow && !inLine) {
            queue(run);
        } else if (!queuedNow && inLine) {
            dequeue(run);
        }
    }

    /** The run joins the end of the line and learns its place. */
    private void queue(Run run) {
        synchronized (queued) {
            queued.add(run);
            run.setQueuePosition(queued.size());
        }
    }

    /** Deletes the finished runs the retention policy no longer keeps; never a queued, training or paused one. */
    synchronized List<String> prune() {
        List<PrunePolicy.Entry> entries = new ArrayList<>();
        for (Run r : runs.values()) {
            entries.add(new PrunePolicy.Entry(r.id(), r.state().isTerminal(), r.createdAtMillis(), r.finishedAtMillis()));
        }
        List<String> doomed = retention.select(entries, System.currentTimeMillis());
        for (String id : doomed) {
            Run r = runs.get(id);
            if (r != null && r.state().isTerminal()) {
                delete(id);
            }
        }
        if (!doomed.isEmpty()) {
            LOG.info("pruned {} finished run(s)", doomed.size());
        }
        return doomed;
    }

    /** The store could not take a run's data: the run ends as failed, saying why; the others go on. */
    private void storageFailed(String runId, String reason) {
        Run run = runs.get(runId);
        if (run != null && run.fail("could not save the run (" + reason + "); training stopped, the run is kept "
                + "as of its last saved checkpoint")) {
            LOG.error("run {} failed: its data could not be stored ({})", runId, reason);
        }
    }

    /** Writes everything recorded so far to the store; for tests and tools. */
    boolean flushStore(Duration timeout) {
        return training == null || training.writer().flush(timeout);
    }

    /**
     * Shuts down: training runs save a checkpoint and keep their state (they resume when a registry opens the
     * same store), everything pending is written, then the store is closed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (mirrors != null) {
            mirrors.close();
        }
        runs.values().forEach(Run::halt);
        if (training != null) {
            training.close();
        }
        store.close();
    }

    /**
     * What trains runs in this process (not in the web role): the store writer, the training threads, and the
     * threads that draw pictures and measure quality beside them.
     */
    private record Training(StoreWriter writer, ExecutorService workers, ExecutorService visuals,
                            ExecutorService sweeps) {
        /** Lets the training threads save their checkpoints and end, then writes what is pending. */
        void close() {
            workers.shutdown();
            visuals.shutdownNow();
            sweeps.shutdownNow();
            try {
                if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                    workers.shutdownNow();
                    workers.awaitTermination(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                workers.shutdownNow();
            }
            writer.close();
        }
    }
}
