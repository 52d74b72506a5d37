package diffusionlab.training;

import diffusionlab.engine.Rng;
import diffusionlab.engine.data.Dataset;
import diffusionlab.training.store.RunStore;
import diffusionlab.training.store.StoredRun;
import java.util.Optional;

/**
 * One training run: who started it, its config, its rules ({@link RunLife}: states and moves) and its feed
 * ({@link RunFeed}: history, pictures and listeners). The worker thread writes, any number of viewers read;
 * both halves share one lock, so every move publishes its status in order with the run's other events and
 * a new viewer gets a snapshot and then exactly the increments after it. A run rebuilt from the store after a
 * restart either resumes training (it was queued, training or paused) or, finished, reads its history and
 * pictures from the store on first view.
 */
public final class Run {
    private final String id;
    private final RunConfig config;
    private final String ownerHash;
    private final long createdAtMillis;
    private final RunStore store;
    private final Object lock = new Object();
    private final RunLife life; // guarded by lock
    private final RunFeed feed; // guarded by lock
    private volatile boolean watchedElsewhere;
    private final boolean resumePaused;

    private volatile boolean stopRequested; // read on every training step, without the lock
    private volatile boolean paused;        // likewise
    private volatile boolean deleted;
    private volatile FrozenWeights weights;
    private volatile Double qualityFloor; // computed on first use
    private volatile RunRemote remote;    // set when another process trains the run (the web role)

    public Run(String id, RunConfig config, String ownerHash, long createdAtMillis) {
        this(id, config, ownerHash, createdAtMillis, event -> { }, RunStore.none());
    }

    Run(String id, RunConfig config, String ownerHash, long createdAtMillis, RunListener journal, RunStore store) {
        this(id, config, ownerHash, createdAtMillis, store, new RunLife(), new RunFeed(journal, null), false);
    }

    private Run(String id, RunConfig config, String ownerHash, long createdAtMillis, RunStore store, RunLife life,
                RunFeed feed, boolean resumePaused) {
        this.id = id;
        this.config = config;
        this.ownerHash = ownerHash;
        this.createdAtMillis = createdAtMillis;
        this.store = store;
        this.life = life;
        this.feed = feed;
        this.resumePaused = resumePaused;
    }

    /**
     * Rebuilds a stored run: a finished one as it ended (its history read from the store when first viewed);
     * any other one queued to resume from its checkpoint ({@code checkpointStep}, or step 0 without one), and
     * paused again once restored when it was paused.
     */
    static Run restore(StoredRun stored, RunListener journal, RunStore store) {
        if (stored.state().isTerminal()) {
            return new Run(stored.id(), stored.config(), stored.ownerHash(), stored.createdAtMillis(), store,
                    RunLife.ended(stored.state(), stored.step(), stored.error(), stored.finishedAtMillis()),
                    new RunFeed(journal, new ArchivedHistory(stored.id(), () -> store.loadHistory(stored.id()))),
                    false);
        }
        return new Run(stored.id(), stored.config(), stored.ownerHash(), stored.createdAtMillis(), store,
                RunLife.resumingAt(Math.max(0, stored.checkpointStep())), new RunFeed(journal, null),
                stored.state() == RunState.PAUSED);
    }

    /**
     * A stored run as a web instance shows it while a worker process trains it (docs/SCALING.md): its state
     * and step as stored, its curves and pictures so far ({@code history}, null for a finished run, whose
     * history is read on first view), then whatever the worker publishes ({@link #mirror}); its controls go to
     * {@code remote}.
     */
    static Run mirrorOf(StoredRun stored, RunStore store, RunHistory history, RunRemote remote) {
        Run run;
        if (stored.state().isTerminal() && history == null) {
            run = restore(stored, event -> { }, store);
        } else {
            run = new Run(stored.id(), stored.config(), stored.ownerHash(), stored.createdAtMillis(), store,
                    RunLife.mirrored(stored.state(), stored.step(), stored.error(), stored.finishedAtMillis()),
                    new RunFeed(event -> { }, null), false);
            if (history != null) {
                run.feed.restore(history);
            }
        }
        run.remote = remote;
        return run;
    }

    /** A new run that a worker process will train: queued, its controls going to {@code remote}. */
    static Run queuedFor(String id, RunConfig config, String ownerHash, long createdAtMillis, RunStore store,
                         RunRemote remote) {
        Run run = new Run(id, config, ownerHash, createdAtMillis, event -> { }, store);
        run.remote = remote;
        return run;
    }

    /** The step of the newest loss point held here (-1: none). */
    long lastLossStep() {
        synchronized (lock) {
            return feed.lastLossStep();
        }
    }

    /**
     * What the process that trains the run published: its new curve points (those after the ones held here;
     * points of steps already held are dropped, so each step reaches a viewer once) and, then, its status.
     */
    void mirror(RunState state, long step, double rate, String error, long skipped, long[] lossSteps,
                float[] lossValues, long atMillis, long[] metricSteps, double[] metricValues) {
        synchronized (lock) {
            long last = feed.lastLossStep();
            int from = 0;
            while (from < lossSteps.length && lossSteps[from] <= last) {
                from++;
            }
            if (from < lossSteps.length) {
                feed.publish(new RunEvent.LossPoints(java.util.Arrays.copyOfRange(lossSteps, from, lossSteps.length),
                        java.util.Arrays.copyOfRange(lossValues, from, lossValues.length), atMillis));
            }
            for (int i = 0; i < metricSteps.length; i++) {
                if (metricSteps[i] > feed.lastMetricStep()) {
                    feed.publish(new RunEvent.MetricPoint(metricSteps[i], metricValues[i]));
                }
            }
            if (state != null && life.mirror(state, step, rate, error, skipped)) {
                if (state.isTerminal()) {
                    stopRequested = true;
                }
                paused = state == RunState.PAUSED;
                publishStatusLocked();
                lock.notifyAll();
            }
        }
    }

    public String id() {
        return id;
    }

    public RunConfig config() {
        return config;
    }

    /** The hash of the creator's owner secret (never the secret itself). */
    public String ownerHash() {
        return ownerHash;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    /** When the run ended (0 while it has not). */
    public long finishedAtMillis() {
        synchronized (lock) {
            return life.finishedAtMillis();
        }
    }

    public RunStatus status() {
        synchronized (lock) {
            return statusLocked();
        }
    }

    public RunState state() {
        synchronized (lock) {
            return life.state();
        }
    }

    private RunStatus statusLocked() {
        return life.status(id, config, createdAtMillis);
    }

    // --- the feed ------------------------------------------------------------------------------------

    /** Registers a listener and returns, atomically, the snapshot its increments continue from. */
    public RunSnapshot subscribe(RunListener listener) {
        RunHistory archived = feed.archivedHistory();
        synchronized (lock) {
            feed.subscribe(listener);
            return snapshotLocked(archived);
        }
    }

    public void unsubscribe(RunListener listener) {
        feed.unsubscribe(listener);
    }

    public int listenerCount() {
        return feed.listenerCount();
    }

    /**
     * Whether anyone watches the run: a viewer here, or (a run a worker process trains) a viewer on a web
     * instance lately, as the worker last heard. The worker draws an unwatched run's pictures less often.
     */
    public boolean watched() {
        return watchedElsewhere || feed.listenerCount() > 0;
    }

    /** What a worker process heard, with its lease's renewal, of viewers on the web instances. */
    public void watchedElsewhere(boolean watched) {
        this.watchedElsewhere = watched;
    }

    public RunSnapshot snapshot() {
        RunHistory archived = feed.archivedHistory();
        synchronized (lock) {
            return snapshotLocked(archived);
        }
    }

    private RunSnapshot snapshotLocked(RunHistory archived) {
        return new RunSnapshot(statusLocked(), config, config.experiment().timesteps(), feed.history(archived));
    }

    /** The curves and newest pictures so far. */
    public RunHistory history() {
        return snapshot().history();
    }

    private void publishStatusLocked() {
        feed.publish(new RunEvent.StatusChanged(statusLocked()));
    }

    /**
     * The sample-quality metric between two fresh draws of the run's data set, measured as the run measures its
     * samples (as many points, the same directions): the distance a perfect model would still show. Computed once.
     */
    public double qualityFloor() {
        Double floor = qualityFloor;
        if (floor == null) {
            Dataset dataset = config.experiment().createDataset();
            floor = PictureDrawer.metric(dataset.sample(PictureDrawer.POINTS, new Rng(1)),
                    dataset.sample(PictureDrawer.POINTS, new Rng(2)));
            qualityFloor = floor;
        }
        return floor;
    }

    // --- weights -------------------------------------------------------------------------------------

    /**
     * The raw or EMA weights of the run's latest stored checkpoint (saved every few seconds while it trains,
     * and when it ends), e.g. for a .npy download; reads the store, so call it off the training threads.
     * Empty without a store or before the first checkpoint.
     *
     * @throws diffusionlab.training.store.StoreException when the store cannot be read
     */
    public Optional<float[]> storedWeights(boolean ema) {
        return store.loadWeights(id, ema);
    }

    /**
     * The latest copy of the weights (refreshed with the pictures); for a run restored from the store, its
     * last stored checkpoint; empty before the first one.
     */
    public Optional<FrozenWeights> weights() {
        FrozenWeights w = weights;
        if (w == null) {
            w = storedCopy();
            if (remote == null || state().isTerminal()) { // a worker's run checkpoints on: read its newest each time
                weights = w;
            }
        }
        return Optional.ofNullable(w);
    }

    private FrozenWeights storedCopy() {
        try {
            Optional<float[]> raw = storedWeights(false);
            Optional<float[]> ema = storedWeights(true);
            if (raw.isEmpty() || ema.isEmpty()) {
                return null;
            }
            return FrozenWeights.of(config.experiment(), status().step(), raw.get(), ema.get());
        } catch (RuntimeException e) { // an unreadable store only means no weights to sample
            return null;
        }
    }

    // --- written by the worker and the registry ------------------------------------------------------

    void setWeights(FrozenWeights latest) {
        weights = latest;
    }

    /** A resumed run's curves and pictures up to its checkpoint, before it trains on. */
    void restoreHistory(RunHistory h) {
        synchronized (lock) {
            feed.restore(h);
        }
    }

    /** A resumed run trains again from {@code step}: the curves after it are dropped. */
    void rewindTo(long restoredStep) {
        synchronized (lock) {
            feed.rewindTo(restoredStep);
            life.rewindTo(restoredStep);
        }
    }

    /** Whether a resumed run was paused when the process ended (it pauses again once restored). */
    boolean resumesPaused() {
        return resumePaused;
    }

    /** A worker takes the run: QUEUED → RUNNING. False when it was stopped (or halted) meanwhile. */
    boolean start() {
        synchronized (lock) {
            if (!life.start()) {
                return false;
            }
            publishStatusLocked();
            return true;
        }
    }

    /** The worker ends the run: DONE, STOPPED, DIVERGED or FAILED (with a message for the last two). */
    void end(RunState terminal, String message) {
        synchronized (lock) {
            if (life.end(terminal, message)) {
                stopRequested = true;
                publishStatusLocked();
                lock.notifyAll();
            }
        }
    }

    void setQueuePosition(int position) {
        synchronized (lock) {
            if (life.queuedAt(position)) {
                publishStatusLocked();
            }
        }
    }

    /** Appends loss points and publishes them with the new step, the speed and the updates skipped so far. */
    void progress(long[] steps, float[] values, int count, long currentStep, double rate, long skippedUpdates) {
        synchronized (lock) {
            life.progress(currentStep, rate, skippedUpdates);
            if (count > 0) {
                feed.publish(new RunEvent.LossPoints(java.util.Arrays.copyOf(steps, count),
                        java.util.Arrays.copyOf(values, count)));
            }
            publishStatusLocked();
        }
    }

    /** Publishes a metric point or a picture. */
    void publish(RunEvent event) {
        synchronized (lock) {
            feed.publish(event);
        }
    }

    // --- control ------------------------------------------------------------------------------------

    /** Pauses a running run; returns false when it is not running. */
    public boolean pause() {
        return remote != null ? remote.control(this, RunRemote.Control.PAUSE) : move(life::pause);
    }

    /** The worker that trains the run pauses it (a web instance asked); false when it is not running. */
    boolean pauseHere() {
        return move(life::pause);
    }

    /** The worker that trains the run stops it (a web instance asked). */
    boolean stopHere() {
        synchronized (lock) {
            if (!life.requestStop()) {
                return false;
            }
            stopRequested = true;
            if (life.state().isTerminal()) {
                publishStatusLocked();
            }
            lock.notifyAll();
            return true;
        }
    }

    /** Resumes a paused run; returns false when it is not paused. */
    public boolean resume() {
        return remote != null ? remote.control(this, RunRemote.Control.RESUME) : move(life::resume);
    }

    /** Asks the run to stop (a queued run stops at once); returns false when it has already ended. */
    public boolean stop() {
        return remote != null ? remote.control(this, RunRemote.Control.STOP) : stopHere();
    }

    private boolean move(java.util.function.BooleanSupplier rule) {
        synchronized (lock) {
            if (!rule.getAsBoolean()) {
                return false;
            }
            paused = life.state() == RunState.PAUSED;
            publishStatusLocked();
            lock.notifyAll();
            return true;
        }
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Whether a stop or a pause waits for the worker: two volatile reads, cheap enough to ask after every
     * training step, so both take effect at once whatever the model's size.
     */
    boolean controlPending() {
        return stopRequested || paused;
    }

    /** The registry forgot the run: it stops, and any work for it (pictures, samples) is abandoned. */
    void delete() {
        deleted = true;
        if (remote != null) { // the worker learns it from the store (the run's rows are gone)
            stopRequested = true;
            return;
        }
        stop();
    }

    public boolean deleted() {
        return deleted;
    }

    /**
     * Ends the run as failed with a message (e.g. its data can no longer be stored): training stops at the
     * next step; false when it had already ended.
     */
    boolean fail(String message) {
        synchronized (lock) {
            if (life.state().isTerminal() || life.halted()) {
                return false;
            }
            end(RunState.FAILED, message);
            return true;
        }
    }

    /**
     * The process is shutting down: training stops at the next step, but the run keeps its state (the worker
     * saves a checkpoint and the run resumes when the app starts again).
     */
    void halt() {
        synchronized (lock) {
            life.halt();
            stopRequested = true;
            lock.notifyAll();
        }
    }

    boolean halted() {
        synchronized (lock) {
            return life.halted();
        }
    }

    /** Blocks the worker while the run is paused; returns false when it should stop. */
    boolean awaitRunnable() throws InterruptedException {
        synchronized (lock) {
            while (life.mustWait()) {
                lock.wait();
            }
            return !life.stopRequested();
        }
    }
}
