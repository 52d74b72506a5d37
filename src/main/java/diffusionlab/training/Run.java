package diffusionlab.training;

import diffusionlab.training.store.RunHistory;
import diffusionlab.training.store.RunStore;
import diffusionlab.training.store.StoredRun;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One training run: its config, its state machine and everything it has published so far. The worker
 * thread writes, any number of viewers read; publishing and subscribing share one lock, so a new viewer
 * gets a snapshot and then exactly the increments after it. Listeners must not block (the web layer
 * only enqueues). A journal (the store's recorder) hears every event before the viewers do. A run rebuilt
 * from the store after a restart either resumes training (it was queued, training or paused) or, finished,
 * reads its history and pictures from the store on first view.
 */
public final class Run {
    private final String id;
    private final RunConfig config;
    private final String ownerHash;
    private final long createdAtMillis;
    private final RunListener journal;
    private final RunStore store;
    private final List<RunListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    // guarded by lock
    private RunState state = RunState.QUEUED;
    private long step;
    private double stepsPerSecond;
    private int queuePosition;
    private String error;
    private final StepSeries loss = new StepSeries();
    private final StepSeries metric = new StepSeries();
    private float[] data;
    private final Pictures pictures = new Pictures();
    private long finishedAtMillis;
    private boolean halted;

    private volatile boolean stopRequested;
    private volatile FrozenWeights weights;
    // set before the run is shared: a finished run from the store (read lazily), or a run to resume paused
    private ArchivedHistory archived;
    private boolean resumePaused;

    public Run(String id, RunConfig config, String ownerHash, long createdAtMillis) {
        this(id, config, ownerHash, createdAtMillis, event -> { }, RunStore.none());
    }

    Run(String id, RunConfig config, String ownerHash, long createdAtMillis, RunListener journal, RunStore store) {
        this.id = id;
        this.config = config;
        this.ownerHash = ownerHash;
        this.createdAtMillis = createdAtMillis;
        this.journal = journal;
        this.store = store;
    }

    /**
     * Rebuilds a stored run: a finished one as it ended (its history read from the store when first viewed);
     * any other one queued to resume from its checkpoint ({@code checkpointStep}, or step 0 without one), and
     * paused again once restored when it was paused.
     */
    static Run restore(StoredRun stored, RunListener journal, RunStore store) {
        Run run = new Run(stored.id(), stored.config(), stored.ownerHash(), stored.createdAtMillis(), journal, store);
        if (stored.state().isTerminal()) {
            run.state = stored.state();
            run.step = stored.step();
            run.error = stored.error();
            run.finishedAtMillis = stored.finishedAtMillis();
            run.archived = new ArchivedHistory(stored.id(), () -> store.loadHistory(stored.id()));
        } else {
            run.state = RunState.QUEUED;
            run.step = Math.max(0, stored.checkpointStep());
            run.resumePaused = stored.state() == RunState.PAUSED;
        }
        return run;
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
            return finishedAtMillis;
        }
    }

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

    public RunStatus status() {
        synchronized (lock) {
            return statusLocked();
        }
    }

    public RunState state() {
        synchronized (lock) {
            return state;
        }
    }

    private RunStatus statusLocked() {
        return new RunStatus(id, config.name(), config.experiment().objective().id(), state, step,
                config.experiment().steps(), stepsPerSecond, queuePosition, error, createdAtMillis);
    }

    /** Registers a listener and returns, atomically, the snapshot its increments continue from. */
    public RunSnapshot subscribe(RunListener listener) {
        RunHistory history = archivedHistory();
        synchronized (lock) {
            listeners.add(listener);
            return snapshotLocked(history);
        }
    }

    public void unsubscribe(RunListener listener) {
        listeners.remove(listener);
    }

    public int listenerCount() {
        return listeners.size();
    }

    public RunSnapshot snapshot() {
        RunHistory history = archivedHistory();
        synchronized (lock) {
            return snapshotLocked(history);
        }
    }

    private RunSnapshot snapshotLocked(RunHistory h) {
        if (h != null) {
            return new RunSnapshot(statusLocked(), config, h.lossSteps().clone(), h.lossValues().clone(),
                    h.metricSteps().clone(), h.metricValues().clone(), h.data(), config.experiment().timesteps(),
                    h.forward(), h.reverse(), h.field(), h.samples());
        }
        return new RunSnapshot(statusLocked(), config, loss.steps(), loss.floatValues(), metric.steps(),
                metric.values(), data, config.experiment().timesteps(), pictures.forward(), pictures.reverse(),
                pictures.field(), pictures.samples());
    }

    /** A finished run from the store: its history (read on first use); otherwise null. */
    private RunHistory archivedHistory() {
        return archived == null ? null : archived.get();
    }

    /** The loss curve so far: steps and values. */
    public long[] lossSteps() {
        RunHistory history = archivedHistory();
        if (history != null) {
            return history.lossSteps().clone();
        }
        synchronized (lock) {
            return loss.steps();
        }
    }

    public float[] lossValues() {
        RunHistory history = archivedHistory();
        if (history != null) {
            return history.lossValues().clone();
        }
        synchronized (lock) {
            return loss.floatValues();
        }
    }

    private void publishLocked(RunEvent event) {
        try {
            journal.onEvent(event);
        } catch (RuntimeException e) {
            // the journal only enqueues; should it fail, the viewers still get the event
        }
        for (RunListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                listeners.remove(l); // a broken viewer never stops the run
            }
        }
    }

    /**
     * The latest copy of the weights (refreshed with the pictures); for a run restored from the store, its
     * last stored checkpoint; empty before the first one.
     */
    public java.util.Optional<FrozenWeights> weights() {
        FrozenWeights w = weights;
        if (w == null) {
            w = storedCopy();
            weights = w;
        }
        return java.util.Optional.ofNullable(w);
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

    // --- written by the worker -------------------------------------------------------------------

    void setWeights(FrozenWeights latest) {
        weights = latest;
    }

    /** A resumed run's curves and pictures up to its checkpoint, before it trains on. */
    void restoreHistory(RunHistory h) {
        synchronized (lock) {
            loss.addAll(h.lossSteps(), h.lossValues());
            for (int i = 0; i < h.metricSteps().length; i++) {
                metric.add(h.metricSteps()[i], h.metricValues()[i]);
            }
            data = h.data();
            pictures.clear();
            for (RunEvent picture : new RunEvent[] {h.forward(), h.reverse(), h.field(), h.samples()}) {
                pictures.keep(picture);
            }
        }
    }

    /** A resumed run trains again from {@code step}: the curves after it are dropped. */
    void rewindTo(long restoredStep) {
        synchronized (lock) {
            loss.truncateAfter(restoredStep);
            metric.truncateAfter(restoredStep);
            step = restoredStep;
        }
    }

    /** Whether a resumed run was paused when the process ended (it pauses again once restored). */
    boolean resumesPaused() {
        return resumePaused;
    }

    void setData(float[] trainingSample) {
        synchronized (lock) {
            data = trainingSample;
        }
    }

    void transition(RunState next, String message) {
        synchronized (lock) {
            if (state.isTerminal() || halted) {
                return;
            }
            state = next;
            if (message != null) {
                error = message;
            }
            if (next.isTerminal()) {
                finishedAtMillis = System.currentTimeMillis();
            }
            if (next != RunState.QUEUED) {
                queuePosition = 0;
            }
            publishLocked(new RunEvent.StatusChanged(statusLocked()));
        }
    }

    void setQueuePosition(int position) {
        synchronized (lock) {
            if (state == RunState.QUEUED && queuePosition != position) {
                queuePosition = position;
                publishLocked(new RunEvent.StatusChanged(statusLocked()));
            }
        }
    }

    /** Appends loss points and publishes them with the new step and speed. */
    void progress(long[] steps, float[] values, int count, long currentStep, double rate) {
        synchronized (lock) {
            long[] s = java.util.Arrays.copyOf(steps, count);
            float[] v = java.util.Arrays.copyOf(values, count);
            loss.addAll(s, v);
            step = currentStep;
            stepsPerSecond = rate;
            if (count > 0) {
                publishLocked(new RunEvent.LossPoints(s, v));
            }
            publishLocked(new RunEvent.StatusChanged(statusLocked()));
        }
    }

    void publish(RunEvent event) {
        synchronized (lock) {
            if (!pictures.keep(event) && event instanceof RunEvent.MetricPoint m) {
                metric.add(m.step(), m.value());
            }
            publishLocked(event);
        }
    }

    // --- control ------------------------------------------------------------------------------------

    /** Pauses a running run; returns false when it is not running. */
    public boolean pause() {
        synchronized (lock) {
            if (state != RunState.RUNNING) {
                return false;
            }
            state = RunState.PAUSED;
            publishLocked(new RunEvent.StatusChanged(statusLocked()));
            lock.notifyAll();
            return true;
        }
    }

    /** Resumes a paused run; returns false when it is not paused. */
    public boolean resume() {
        synchronized (lock) {
            if (state != RunState.PAUSED) {
                return false;
            }
            state = RunState.RUNNING;
            publishLocked(new RunEvent.StatusChanged(statusLocked()));
            lock.notifyAll();
            return true;
        }
    }

    /** Asks the run to stop (a queued run stops at once); returns false when it has already ended. */
    public boolean stop() {
        synchronized (lock) {
            if (state.isTerminal()) {
                return false;
            }
            stopRequested = true;
            if (state == RunState.QUEUED || state == RunState.INTERRUPTED) {
                state = RunState.STOPPED;
                finishedAtMillis = System.currentTimeMillis();
                publishLocked(new RunEvent.StatusChanged(statusLocked()));
            }
            lock.notifyAll();
            return true;
        }
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Ends the run as failed with a message (e.g. its data can no longer be stored): training stops at the
     * next step; false when it had already ended.
     */
    boolean fail(String message) {
        synchronized (lock) {
            if (state.isTerminal() || halted) {
                return false;
            }
            stopRequested = true;
            transition(RunState.FAILED, message);
            lock.notifyAll();
            return true;
        }
    }

    /**
     * The process is shutting down: training stops at the next step, but the run keeps its state (the worker
     * saves a checkpoint and the run resumes when the app starts again).
     */
    void halt() {
        synchronized (lock) {
            halted = true;
            stopRequested = true;
            lock.notifyAll();
        }
    }

    boolean halted() {
        synchronized (lock) {
            return halted;
        }
    }

    /** Blocks the worker while the run is paused; returns false when it should stop. */
    boolean awaitRunnable() throws InterruptedException {
        synchronized (lock) {
            while (state == RunState.PAUSED && !stopRequested) {
                lock.wait();
            }
            return !stopRequested;
        }
    }
}
