package diffusionlab.training;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.CancelledException;
import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.Rng;
import diffusionlab.engine.Trainer;
import diffusionlab.engine.objective.Coupling;
import diffusionlab.engine.sample.ModelView;
import diffusionlab.training.store.Checkpoint;
import diffusionlab.training.store.CheckpointPolicy;
import diffusionlab.training.store.RunRecorder;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one run's {@link Trainer} on the run's worker thread: publishes loss points a few times a second,
 * refreshes the pictures on the shared pictures thread from a frozen copy of the EMA weights (so training
 * never waits for them), honours pause and stop after the step they come in, and ends the run as done,
 * stopped, diverged or failed. The pictures thread is fair: a run has at most one refresh pending, so the
 * runs are served in turn, and each refresh keeps to its {@link PictureDrawer.Plan budget}; a stopped or
 * deleted run's refresh is abandoned at the next step of its chain, and a stopped run draws no final pictures.
 * Saves a checkpoint through the run's recorder as the policy says, when paused and at the end (a copy of
 * the arrays on this thread; the store writes it on its own). A resumed run starts from its stored
 * checkpoint. When the process shuts down (the run is halted) it saves a checkpoint and leaves the run's
 * state alone, so that it resumes on the next start. A run shows itself ended only once the store has its end
 * (or {@link #STORE_END_TIMEOUT} has passed).
 */
final class RunWorker implements Runnable {
    static final long FLUSH_NANOS = 200_000_000L;   // loss points: 5 times a second
    static final long PICTURE_NANOS = 1_500_000_000L; // pictures: every 1.5 s at most
    /**
     * Pictures of a run nobody watches, after its first refresh: every 10 s, so that they cost a worker ~0.1 of a
     * core rather than half of one (BENCHMARKS.md, scaling out); a first viewer's snapshot has the last ones, and
     * the next refresh comes at once (in a worker process, within a lease renewal: 2 s).
     */
    static final long UNWATCHED_PICTURE_NANOS = 10_000_000_000L;
    /** Quality against sampling steps: with a picture refresh, at most every 10 s (one bounded sweep each). */
    static final long SWEEP_NANOS = 10_000_000_000L;
    /**
     * A sweep then waits at least this many times its own duration, so that sweeps take at most 1/25 = 4 % of a
     * core even where every core trains (issue 10: "the quality-vs-NFE curve costs training <= 5 % of its steps/s").
     */
    static final int SWEEP_IDLE_FACTOR = 25;
    private static final int MAX_LOSS_POINTS = 2000;
    /**
     * A run has diverged when its loss is not a number, or when its samples are not numbers or lie a thousand
     * times farther from held-out data than the noise x_T they start from: the skipped non-finite updates and the
     * clamped log-variance can keep a runaway loss finite, so "the loss is finite" alone no longer tells.
     */
    static final double DIVERGED_DISTANCE = 1000;
    static final Duration STORE_END_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(RunWorker.class);

    private final Run run;
    private final ExecutorService picturesExecutor;
    private final ExecutorService sweepExecutor;
    private final RunRecorder recorder;
    private final CheckpointPolicy checkpoints;
    private final Supplier<Optional<Checkpoint>> resumeFrom;
    private final Function<String, Optional<Reflow.Parent>> parents;
    private final AtomicBoolean drawing = new AtomicBoolean();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile String samplesDiverged; // set by the pictures: why the run has diverged, or null
    private volatile long lastSweepCostNanos; // how long the last quality sweep took

    /**
     * {@code resumeFrom} is null for a new run; for a resumed one it reads the stored checkpoint. The pictures are
     * drawn on {@code picturesExecutor}, the quality sweeps ({@link QualitySweep}) run on {@code sweepExecutor};
     * {@code parents} finds a reflow's parent (its config and weights) by id.
     */
    RunWorker(Run run, ExecutorService picturesExecutor, ExecutorService sweepExecutor, RunRecorder recorder,
              CheckpointPolicy checkpoints, Supplier<Optional<Checkpoint>> resumeFrom,
              Function<String, Optional<Reflow.Parent>> parents) {
        this.parents = parents;
        this.run = run;
        this.picturesExecutor = picturesExecutor;
        this.sweepExecutor = sweepExecutor;
        this.recorder = recorder;
        this.checkpoints = checkpoints;
        this.resumeFrom = resumeFrom;
    }

    @Override
    public void run() {
        if (!run.start()) {
            return; // stopped while queued
        }
        try {
            train();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end(RunState.STOPPED, null);
        } catch (CancelledException e) { // stopped while a reflow's pairs were drawn
            end(RunState.STOPPED, null);
        } catch (Throwable t) { // one run's failure never reaches the others
            end(RunState.FAILED, "training failed: " + t);
        }
    }

    /**
     * Ends the run once the store has its end, final checkpoint and pictures, waiting at most
     * {@link #STORE_END_TIMEOUT} (then the run ends anyway, with a warning): viewers never see a run finished
     * that a restart would lose. A halted run keeps its state, and a run failed meanwhile (its data could not
     * be stored) stays as it is.
     */
    private void end(RunState terminal, String message) {
        if (run.halted() || run.state().isTerminal()) {
            return;
        }
        if (!recorder.storeEnd(terminal, run.status().step(), message, STORE_END_TIMEOUT)) {
            LOG.warn("run {}: its end is not stored after {} s; showing it {} anyway", run.id(),
                    STORE_END_TIMEOUT.toSeconds(), terminal);
        }
        run.end(terminal, message);
    }

    private void train() throws InterruptedException {
        ExperimentConfig ex = run.config().experiment();
        Trainer trainer = new Trainer(ex, run.config().reflowFrom() == null ? null : reflowPairs(ex));
        if (resumeFrom != null) {
            resume(trainer);
        }
        RunEvent.Data data = PictureDrawer.data(trainer.trainingData());
        PictureDrawer drawer = new PictureDrawer(ex.objective(), run.config().sampling(), trainer.schedule(),
                trainer.shape(), data.cloud());
        HeldOut heldOut = HeldOut.of(trainer, ex.seed());
        QualitySweep sweep = new QualitySweep(ex.objective(), run.config().sampling(), ex.timesteps(), trainer.shape());
        run.publish(data);
        run.publish(drawer.forward(data.cloud(), new Rng(ex.seed() + 1)));
        if (resumeFrom != null && run.resumesPaused()) {
            run.pause();
        }

        Loop loop = new Loop(trainer, drawer, heldOut, sweep);
        long remaining = run.awaitRunnable() ? ex.steps() - trainer.steps() : 0;
        int every = (int) Math.max(1, (ex.steps() + MAX_LOSS_POINTS - 1) / MAX_LOSS_POINTS);
        trainer.run(remaining, every, run::controlPending, loop::onControl, loop::onStep);
        loop.flush(trainer.steps());
        if (loop.diverged != null) {
            end(RunState.DIVERGED, loop.diverged); // the last checkpoint keeps the last finite weights
            return;
        }
        loop.checkpoint();
        if (run.halted()) {
            return; // the process is shutting down; the run resumes from this checkpoint
        }
        while (drawing.get() || sweeping.get()) { // the work in flight: within its budget, or abandoned when stopped
            Thread.sleep(5);
        }
        FrozenWeights weights = FrozenWeights.of(trainer);
        run.setWeights(weights);
        if (!run.stopRequested()) { // the final pictures and quality sweep, from the finished model, on this thread
            try {
                drawPictures(weights.view(true), drawer, heldOut, trainer.steps());
                sweep(weights.view(true), sweep, heldOut, trainer.steps());
            } catch (CancelledException e) {
                // stopped while drawing them: the run ends as stopped with the pictures it had
            }
        }
        if (samplesDiverged != null) {
            end(RunState.DIVERGED, samplesDiverged);
            return;
        }
        end(run.stopRequested() ? RunState.STOPPED : RunState.DONE, null);
    }

    /** What the training loop keeps between reported steps: pending loss points, the speed, the clocks. */
    private final class Loop {
        private final Trainer trainer;
        private final PictureDrawer drawer;
        private final HeldOut heldOut;
        private final QualitySweep sweep;
        private final long[] pendingSteps = new long[64];
        private final float[] pendingValues = new float[64];
        private int pending;
        private long lastFlushNanos = System.nanoTime();
        private long lastFlushStep;
        private long lastPictureNanos = System.nanoTime();
        private boolean pictured; // the first refresh comes after PICTURE_NANOS, watched or not
        private long lastSweepNanos;
        private boolean swept;
        private long lastCheckpointNanos = System.nanoTime();
        private long lastCheckpointStep;
        private double stepsPerSecond;
        private String diverged;

        Loop(Trainer trainer, PictureDrawer drawer, HeldOut heldOut, QualitySweep sweep) {
            this.trainer = trainer;
            this.drawer = drawer;
            this.heldOut = heldOut;
            this.sweep = sweep;
            this.lastCheckpointStep = trainer.steps();
        }

        /** Called every few steps with the loss; false stops training. */
        boolean onStep(long step, double loss) {
            if (!Double.isFinite(loss)) {
                diverged = String.format(Locale.ROOT, "the loss became %s at step %d; try a lower learning rate "
                        + "(lr, now %s) or gradient clipping (gradClip)", loss, step, run.config().experiment().lr());
                return false;
            }
            if (pending == pendingSteps.length) {
                flush(step);
            }
            pendingSteps[pending] = step;
            pendingValues[pending] = (float) loss;
            pending++;
            long now = System.nanoTime();
            if (now - lastFlushNanos >= FLUSH_NANOS) {
                double instant = (step - lastFlushStep) / ((now - lastFlushNanos) / 1e9);
                stepsPerSecond = stepsPerSecond == 0 ? instant : 0.7 * stepsPerSecond + 0.3 * instant;
                flush(step);
                lastFlushNanos = now;
                lastFlushStep = step;
            }
            if (checkpoints.due(step - lastCheckpointStep, now - lastCheckpointNanos)) {
                flush(step); // the curve so far goes with it
                checkpoint();
            }
            if (pictureDue(now) && drawing.compareAndSet(false, true)) {
                lastPictureNanos = now;
                pictured = true;
                FrozenWeights weights = FrozenWeights.of(trainer); // one copy, for the samplers and the pictures
                run.setWeights(weights);
                drawPicturesAsync(weights.view(true), drawer, heldOut, step);
                if ((!swept || now - lastSweepNanos >= sweepInterval(lastSweepCostNanos)) && sweeping.compareAndSet(false, true)) {
                    swept = true;
                    lastSweepNanos = now;
                    sweepAsync(weights.view(true), sweep, heldOut, step);
                }
            }
            if (samplesDiverged != null) {
                diverged = samplesDiverged;
                return false;
            }
            return true;
        }

        /** A refresh every PICTURE_NANOS while anyone watches (and for the first), else every UNWATCHED_PICTURE_NANOS. */
        private boolean pictureDue(long now) {
            long since = now - lastPictureNanos;
            return since >= PICTURE_NANOS && (since >= UNWATCHED_PICTURE_NANOS || !pictured || run.watched());
        }

        /** Called after the step at which a stop or a pause came in; false stops training. */
        boolean onControl(long step) {
            if (run.stopRequested()) {
                return false;
            }
            if (run.state() == RunState.PAUSED) {
                return waitWhilePaused(step);
            }
            return true;
        }

        private boolean waitWhilePaused(long step) {
            stepsPerSecond = 0;
            flush(step);
            checkpoint();
            try {
                if (!run.awaitRunnable()) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            lastFlushNanos = System.nanoTime();
            lastFlushStep = step;
            return true;
        }

        void flush(long step) {
            run.progress(pendingSteps, pendingValues, pending, step, stepsPerSecond, trainer.skippedUpdates());
            pending = 0;
        }

        void checkpoint() {
            recorder.checkpoint(Checkpoint.of(trainer));
            lastCheckpointStep = trainer.steps();
            lastCheckpointNanos = System.nanoTime();
        }
    }

    /** Reflow's training pairs ({@link Reflow#pairs}) from the parent's latest weights, before training starts. */
    private Coupling reflowPairs(ExperimentConfig ex) {
        Reflow.Parent parent = parents.apply(run.config().reflowFrom()).orElseThrow(() -> new IllegalStateException(
                "the run to reflow (" + run.config().reflowFrom() + ") is gone or has no weights to sample"));
        return Reflow.pairs(parent, ex, run::stopRequested);
    }

    /** Restores the stored checkpoint (none: from step 0) and rewinds the run's curves to it. */
    private void resume(Trainer trainer) {
        Optional<Checkpoint> checkpoint;
        try {
            checkpoint = resumeFrom.get();
            checkpoint.ifPresent(c -> c.restoreInto(trainer));
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not resume from the stored checkpoint: " + e.getMessage(), e);
        }
        long step = trainer.steps();
        run.rewindTo(step);
        recorder.resumedFrom(step);
    }

    private void drawPicturesAsync(ModelView view, PictureDrawer drawer, HeldOut heldOut, long step) {
        try {
            picturesExecutor.execute(() -> {
                try {
                    drawPictures(view, drawer, heldOut, step);
                } catch (RuntimeException e) {
                    // a failed or abandoned picture is skipped; training goes on
                } finally {
                    drawing.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            drawing.set(false);
        }
    }

    private void sweepAsync(ModelView view, QualitySweep sweep, HeldOut heldOut, long step) {
        try {
            sweepExecutor.execute(() -> {
                try {
                    sweep(view, sweep, heldOut, step);
                } catch (RuntimeException e) {
                    // a failed or abandoned sweep is skipped; training goes on
                } finally {
                    sweeping.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            sweeping.set(false);
        }
    }

    /** Measures and publishes quality against sampling steps; throws {@link CancelledException} when the run stops. */
    private void sweep(ModelView view, QualitySweep sweep, HeldOut heldOut, long step) {
        long start = System.nanoTime();
        RunEvent.Quality quality = sweep.measure(view, step, heldOut.points(),
                run.config().experiment().seed() ^ 0x51EE9L, run::stopRequested);
        lastSweepCostNanos = System.nanoTime() - start;
        run.publish(quality);
    }

    /** The least time from one sweep's start to the next: {@link #SWEEP_NANOS}, or 25 times the last one's duration. */
    static long sweepInterval(long lastSweepCostNanos) {
        return Math.max(SWEEP_NANOS, SWEEP_IDLE_FACTOR * lastSweepCostNanos);
    }

    /** Draws and publishes the pictures; throws {@link CancelledException} when the run stops meanwhile. */
    private void drawPictures(ModelView view, PictureDrawer drawer, HeldOut heldOut, long step) {
        Rng rng = new Rng(run.config().experiment().seed() * 31 + step);
        Cancellation stopped = run::stopRequested;
        PictureDrawer.Reverse reverse = drawer.reverse(view, step, rng, stopped);
        run.publish(reverse.frames());
        run.publish(reverse.motion());
        run.publish(drawer.field(view, step, stopped));
        RunEvent.Samples samples = drawer.samples(view, step, rng, stopped);
        run.publish(samples);
        double distance = PictureDrawer.metric(samples.cloud(), heldOut.points());
        run.publish(new RunEvent.MetricPoint(step, distance));
        if (!(distance <= DIVERGED_DISTANCE * heldOut.noiseDistance())) { // NaN included
            samplesDiverged = String.format(Locale.ROOT, "at step %d the samples lie %.3g away from the data, %.0f "
                    + "times farther than pure noise; try a lower learning rate (lr, now %s) or gradient clipping "
                    + "(gradClip)", step, distance, distance / heldOut.noiseDistance(), run.config().experiment().lr());
        }
    }

    /** Held-out data for the quality metric, and how far pure noise N(0, I) lies from it. */
    record HeldOut(float[] points, double noiseDistance) {
        static HeldOut of(Trainer trainer, long seed) {
            float[] points = trainer.dataset().sample(PictureDrawer.POINTS, new Rng(seed ^ 0x5DEECE66DL));
            float[] noise = new float[points.length];
            new Rng(seed ^ 0x2545F491L).fillGaussian(noise, 0, noise.length);
            return new HeldOut(points, PictureDrawer.metric(noise, points));
        }
    }
}
