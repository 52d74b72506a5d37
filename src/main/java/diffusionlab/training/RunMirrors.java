package diffusionlab.training;

import diffusionlab.training.store.JdbcRunStore;
import diffusionlab.training.store.LiveBus;
import diffusionlab.training.store.LiveNotice;
import diffusionlab.training.store.RunChanges;
import diffusionlab.training.store.RunQueue;
import diffusionlab.training.store.SharedRows;
import diffusionlab.training.store.StoredRun;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A web instance's view of the runs that worker processes train (docs/SCALING.md). It listens first
 * ({@link LiveBus}), then reads every run from the store, so the notices that follow continue what it read with
 * nothing missing. A notice's status and curve points are applied at once on the bus's thread (points of steps
 * already held are dropped: each step reaches a viewer once); a changed picture is read from the store once, on
 * this instance's fetch thread, and fanned out to its viewers through the run. Created and deleted runs are
 * added and dropped. After the bus reconnects, every run is caught up from the store. Controls go to the store
 * ({@link RunQueue#request}), which tells the worker. The class's {@link SharedDocument}s are rows of the store
 * too ({@link SharedRows}): a change made on any instance reaches every instance's subscribers.
 */
final class RunMirrors implements LiveBus.Listener, RunRemote, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunMirrors.class);

    private final RunRegistry registry;
    private final JdbcRunStore store;
    private final RunQueue queue;
    private final LiveBus bus;
    private final ExecutorService fetcher;
    private final ScheduledExecutorService watching; // tells the workers which runs have viewers here
    private final SharedRows shared;
    private final Map<String, List<Consumer<SharedDocument.Version>>> subscribers = new ConcurrentHashMap<>();

    RunMirrors(RunRegistry registry, JdbcRunStore store) {
        this.registry = registry;
        this.store = store;
        this.queue = store.queue("web");
        this.shared = store.shared();
        this.bus = store.bus(this, LiveNotice.LIVE, LiveNotice.RUNS, SharedRows.CHANNEL);
        this.fetcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "run-mirror-fetch");
            t.setDaemon(true);
            return t;
        });
        this.watching = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "run-mirror-watching");
            t.setDaemon(true);
            return t;
        });
    }

    /** Listens, then reads every stored run. */
    void start() {
        bus.start();
        long started = System.nanoTime();
        List<StoredRun> stored = store.loadRuns();
        for (StoredRun s : stored) {
            registry.addMirror(load(s));
        }
        LOG.info("mirroring {} run(s) of {} ({} ms); workers train them", stored.size(), store.description(),
                (System.nanoTime() - started) / 1_000_000);
        watching.scheduleWithFixedDelay(this::markWatched, 0, RunQueue.RENEW_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The runs that have viewers here, marked watched for the workers that train them (RunWorker's pictures). */
    private void markWatched() {
        try {
            queue.watch(registry.list().stream().filter(r -> !r.state().isTerminal() && r.listenerCount() > 0)
                    .map(Run::id).toList());
        } catch (RuntimeException e) { // the database is away: the marks lapse, and come back with it
            LOG.debug("could not mark the watched runs ({})", e.getMessage());
        }
    }

    /** A stored run as this instance shows it: a finished one reads its history on first view. */
    private Run load(StoredRun s) {
        return Run.mirrorOf(s, store, s.state().isTerminal() ? null : store.loadHistory(s.id()), this);
    }

    /** Whether the bus hears the other processes now (false while the database is out of reach). */
    boolean listening() {
        return bus.connected();
    }

    /** A new run, stored queued at once (the store tells the workers and the other web instances). */
    Run create(String id, RunConfig config, String ownerHash) {
        Run run = Run.queuedFor(id, config, ownerHash, System.currentTimeMillis(), store, this);
        StoredRun row = new StoredRun(id, ownerHash, run.createdAtMillis(), config, RunState.QUEUED, 0, null, 0, -1);
        store.write(RunChanges.inserting(row));
        return run;
    }

    void delete(String id) {
        store.delete(id);
    }

    // --- shared documents ---------------------------------------------------------------------------

    /** The document {@code name}, shared with every web instance through the store. */
    SharedDocument document(String name) {
        return new SharedDocument() {
            @Override
            public Version publish(String body) {
                SharedRows.Row row = shared.publish(name, body);
                return new Version(row.seq(), row.body());
            }

            @Override
            public void subscribe(Consumer<Version> subscriber) {
                subscribers.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(subscriber);
                try { // after adding it: a change made meanwhile is heard as well as read
                    shared.load(name).ifPresent(row -> subscriber.accept(new Version(row.seq(), row.body())));
                } catch (RuntimeException e) { // the database is away: read again when the bus reconnects
                    LOG.warn("could not read the shared document {} ({})", name, e.getMessage());
                }
            }
        };
    }

    private void deliver(SharedRows.Row row) {
        SharedDocument.Version version = new SharedDocument.Version(row.seq(), row.body());
        subscribers.getOrDefault(row.name(), List.of()).forEach(s -> s.accept(version));
    }

    // --- controls -----------------------------------------------------------------------------------

    @Override
    public boolean control(Run run, Control control) {
        RunState state = run.state();
        boolean allowed = switch (control) {
            case PAUSE -> state == RunState.RUNNING;
            case RESUME -> state == RunState.PAUSED;
            case STOP -> !state.isTerminal();
        };
        if (!allowed) {
            return false;
        }
        Optional<String> outcome = queue.request(run.id(), control.name());
        if (outcome.isEmpty()) {
            return false;
        }
        RunStatus now = run.status();
        if (!outcome.get().isEmpty()) { // nobody trains it: changed at once
            run.mirror(RunState.valueOf(outcome.get()), now.step(), 0, now.error(), now.skippedUpdates(),
                    new long[0], new float[0], 0, new long[0], new double[0]);
            registry.mirrorMoved(run);
        } else if (control == Control.PAUSE) { // its worker pauses it at its next step, within a second
            run.mirror(RunState.PAUSED, now.step(), 0, now.error(), now.skippedUpdates(), new long[0], new float[0], 0,
                    new long[0], new double[0]);
        }
        return true;
    }

    // --- notices ------------------------------------------------------------------------------------

    @Override
    public void notice(String channel, String payload) {
        if (SharedRows.CHANNEL.equals(channel)) {
            deliver(SharedRows.Row.parse(payload));
            return;
        }
        if (LiveNotice.RUNS.equals(channel)) {
            LiveNotice.RunChange change = LiveNotice.RunChange.parse(payload);
            switch (change.kind()) {
                case LiveNotice.RunChange.CREATED -> fetcher.execute(() -> added(change.runId()));
                case LiveNotice.RunChange.DELETED -> registry.forgetMirror(change.runId());
                default -> { }
            }
            return;
        }
        if (!LiveNotice.LIVE.equals(channel)) {
            return;
        }
        LiveNotice n = LiveNotice.parse(payload);
        Optional<Run> run = registry.get(n.runId());
        if (run.isEmpty()) { // created here a moment ago and not read yet: after that read, in order
            fetcher.execute(() -> registry.get(n.runId()).ifPresent(r -> apply(r, n)));
            return;
        }
        apply(run.get(), n);
    }

    private void apply(Run run, LiveNotice n) {
        LiveNotice.Status s = n.status();
        run.mirror(s == null ? null : s.state(), s == null ? 0 : s.step(), s == null ? 0 : s.stepsPerSecond(),
                s == null ? null : s.error(), s == null ? 0 : s.skippedUpdates(), n.lossSteps(), n.lossValues(),
                n.atMillis(), n.metricSteps(), n.metricValues());
        if (s != null) {
            registry.mirrorMoved(run);
        }
        if (n.pictures() != null && !n.pictures().isEmpty()) {
            Set<PictureKind> kinds = new HashSet<>(n.pictures().keySet());
            fetcher.execute(() -> fetchPictures(run, kinds));
        }
    }

    private void fetchPictures(Run run, Set<PictureKind> kinds) {
        if (run.deleted()) {
            return;
        }
        try {
            for (RunEvent.Picture p : store.loadPictures(run.id(), kinds)) {
                run.publish(p);
            }
        } catch (RuntimeException e) {
            LOG.warn("run {}: could not read its new pictures ({})", run.id(), e.getMessage());
        }
    }

    private void added(String id) {
        if (registry.get(id).isPresent()) {
            return;
        }
        try {
            store.loadRun(id).ifPresent(s -> registry.addMirror(load(s)));
        } catch (RuntimeException e) {
            LOG.warn("run {}: could not read it ({})", id, e.getMessage());
        }
    }

    @Override
    public void reconnected() {
        fetcher.execute(this::catchUp);
    }

    /** Notices may have been missed: every run and shared document as the store has it now. */
    private void catchUp() {
        try {
            for (String name : subscribers.keySet()) {
                shared.load(name).ifPresent(this::deliver);
            }
            List<StoredRun> stored = store.loadRuns();
            Set<String> ids = new HashSet<>();
            for (StoredRun s : stored) {
                ids.add(s.id());
                Optional<Run> mirror = registry.get(s.id());
                if (mirror.isEmpty()) {
                    registry.addMirror(load(s));
                    continue;
                }
                Run run = mirror.get();
                if (run.state().isTerminal() && s.state().isTerminal()) {
                    continue;
                }
                RunHistory after = store.loadCurvesAfter(s.id(), run.lastLossStep());
                RunStatus now = run.status();
                run.mirror(s.state(), s.step(), 0, s.error(), now.skippedUpdates(), after.lossSteps(),
                        after.lossValues(), 0, after.metricSteps(), after.metricValues());
                registry.mirrorMoved(run);
                fetchPictures(run, Set.of(PictureKind.values()));
            }
            for (Run r : registry.list()) {
                if (!ids.contains(r.id())) {
                    registry.forgetMirror(r.id());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not catch up with the store ({}); trying again", e.getMessage());
            fetcher.execute(() -> {
                sleep(1_000);
                catchUp();
            });
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        bus.close();
        watching.shutdownNow();
        fetcher.shutdownNow();
        try {
            fetcher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
