package diffusionlab.training;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One training run: its config, its state machine and everything it has published so far. The worker
 * thread writes, any number of viewers read; publishing and subscribing share one lock, so a new viewer
 * gets a snapshot and then exactly the increments after it. Listeners must not block (the web layer
 * only enqueues).
 */
public final class Run {
    private final String id;
    private final RunConfig config;
    private final String ownerHash;
    private final long createdAtMillis;
    private final List<RunListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    // guarded by lock
    private RunState state = RunState.QUEUED;
    private long step;
    private double stepsPerSecond;
    private int queuePosition;
    private String error;
    private final LossHistory loss = new LossHistory();
    private final LossHistory metric = new LossHistory();
    private float[] data;
    private RunEvent.Frames forward;
    private RunEvent.Frames reverse;
    private RunEvent.Field field;
    private RunEvent.Samples samples;

    private volatile boolean stopRequested;
    private volatile FrozenWeights weights;

    public Run(String id, RunConfig config, String ownerHash, long createdAtMillis) {
        this.id = id;
        this.config = config;
        this.ownerHash = ownerHash;
        this.createdAtMillis = createdAtMillis;
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
        synchronized (lock) {
            listeners.add(listener);
            return snapshotLocked();
        }
    }

    public void unsubscribe(RunListener listener) {
        listeners.remove(listener);
    }

    public int listenerCount() {
        return listeners.size();
    }

    public RunSnapshot snapshot() {
        synchronized (lock) {
            return snapshotLocked();
        }
    }

    private RunSnapshot snapshotLocked() {
        return new RunSnapshot(statusLocked(), config, loss.steps(), loss.values(), metric.steps(),
                toDoubles(metric.values()), data, config.experiment().timesteps(), forward, reverse, field, samples);
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** The loss curve so far: steps and values. */
    public long[] lossSteps() {
        synchronized (lock) {
            return loss.steps();
        }
    }

    public float[] lossValues() {
        synchronized (lock) {
            return loss.values();
        }
    }

    private void publishLocked(RunEvent event) {
        for (RunListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                listeners.remove(l); // a broken viewer never stops the run
            }
        }
    }

    /** The latest copy of the weights (refreshed with the pictures), or empty before the first one. */
    public java.util.Optional<FrozenWeights> weights() {
        return java.util.Optional.ofNullable(weights);
    }

    // --- written by the worker -------------------------------------------------------------------

    void setWeights(FrozenWeights latest) {
        weights = latest;
    }

    void setData(float[] trainingSample) {
        synchronized (lock) {
            data = trainingSample;
        }
    }

    void transition(RunState next, String message) {
        synchronized (lock) {
            if (state.isTerminal()) {
                return;
            }
            state = next;
            if (message != null) {
                error = message;
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
            for (int i = 0; i < count; i++) {
                loss.add(s[i], v[i]);
            }
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
            if (event instanceof RunEvent.Frames f) {
                if (f.kind().equals("forward")) {
                    forward = f;
                } else {
                    reverse = f;
                }
            } else if (event instanceof RunEvent.Field f) {
                field = f;
            } else if (event instanceof RunEvent.Samples s) {
                samples = s;
            } else if (event instanceof RunEvent.MetricPoint m) {
                metric.add(m.step(), (float) m.value());
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
                publishLocked(new RunEvent.StatusChanged(statusLocked()));
            }
            lock.notifyAll();
            return true;
        }
    }

    public boolean stopRequested() {
        return stopRequested;
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
