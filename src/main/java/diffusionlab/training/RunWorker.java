package diffusionlab.training;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.Rng;
import diffusionlab.engine.Trainer;
import diffusionlab.engine.sample.ModelView;
import diffusionlab.training.store.Checkpoint;
import diffusionlab.training.store.CheckpointPolicy;
import diffusionlab.training.store.RunRecorder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Drives one run's {@link Trainer} on the run's worker thread: publishes loss points a few times a second,
 * refreshes the pictures on the shared visuals thread from a frozen copy of the EMA weights (so training
 * never waits for them), honours pause and stop, and ends the run as done, stopped, diverged or failed.
 * Saves a checkpoint through the run's recorder as the policy says, when paused and at the end (a copy of
 * the arrays on this thread; the store writes it on its own). A resumed run starts from its stored
 * checkpoint. When the process shuts down (the run is halted) it saves a checkpoint and leaves the run's
 * state alone, so that it resumes on the next start.
 */
final class RunWorker implements Runnable {
    static final long FLUSH_NANOS = 200_000_000L;   // loss points: 5 times a second
    static final long VISUAL_NANOS = 1_500_000_000L; // pictures: every 1.5 s at most
    private static final int MAX_LOSS_POINTS = 2000;

    private final Run run;
    private final ExecutorService visualsExecutor;
    private final RunRecorder recorder;
    private final CheckpointPolicy checkpoints;
    private final Supplier<Optional<Checkpoint>> resumeFrom;
    private final AtomicBoolean visualBusy = new AtomicBoolean();

    /** {@code resumeFrom} is null for a new run; for a resumed one it reads the stored checkpoint. */
    RunWorker(Run run, ExecutorService visualsExecutor, RunRecorder recorder, CheckpointPolicy checkpoints,
              Supplier<Optional<Checkpoint>> resumeFrom) {
        this.run = run;
        this.visualsExecutor = visualsExecutor;
        this.recorder = recorder;
        this.checkpoints = checkpoints;
        this.resumeFrom = resumeFrom;
    }

    @Override
    public void run() {
        if (run.stopRequested()) {
            return; // stopped while queued
        }
        try {
            train();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.transition(RunState.STOPPED, null);
        } catch (Throwable t) { // one run's failure never reaches the others
            run.transition(RunState.FAILED, "training failed: " + t);
        }
    }

    private void train() throws InterruptedException {
        ExperimentConfig ex = run.config().experiment();
        run.transition(RunState.RUNNING, null);
        Trainer trainer = new Trainer(ex);
        if (resumeFrom != null) {
            resume(trainer);
        }
        float[] data = Arrays.copyOf(trainer.trainingData(), 2 * Math.min(Visuals.POINTS, ex.trainingSize()));
        Visuals visuals = new Visuals(ex, run.config().sampling(), trainer.schedule(), data);
        float[] heldOut = trainer.dataset().sample(Visuals.POINTS, new Rng(ex.seed() ^ 0x5DEECE66DL));
        run.setData(data);
        recorder.data(data);
        run.publish(visuals.forward(data, new Rng(ex.seed() + 1)));
        if (resumeFrom != null && run.resumesPaused()) {
            run.pause();
        }

        int every = (int) Math.max(1, (ex.steps() + MAX_LOSS_POINTS - 1) / MAX_LOSS_POINTS);
        long[] pendingSteps = new long[64];
        float[] pendingValues = new float[64];
        int[] pending = {0};
        long[] lastFlush = {System.nanoTime(), 0};
        long[] lastVisual = {System.nanoTime()};
        double[] rate = {0};
        String[] diverged = {null};
        long[] lastCheckpoint = {trainer.steps(), System.nanoTime()};

        long remaining = run.awaitRunnable() ? ex.steps() - trainer.steps() : 0;
        trainer.run(remaining, every, (step, loss) -> {
            if (!Double.isFinite(loss)) {
                diverged[0] = String.format(Locale.ROOT, "the loss became %s at step %d; try a lower learning rate "
                        + "(lr, now %s) or gradient clipping (gradClip)", loss, step, ex.lr());
                return false;
            }
            if (pending[0] == pendingSteps.length) {
                flush(pendingSteps, pendingValues, pending, step, rate[0]);
            }
            pendingSteps[pending[0]] = step;
            pendingValues[pending[0]] = (float) loss;
            pending[0]++;
            long now = System.nanoTime();
            if (now - lastFlush[0] >= FLUSH_NANOS) {
                double instant = (step - lastFlush[1]) / ((now - lastFlush[0]) / 1e9);
                rate[0] = rate[0] == 0 ? instant : 0.7 * rate[0] + 0.3 * instant;
                flush(pendingSteps, pendingValues, pending, step, rate[0]);
                lastFlush[0] = now;
                lastFlush[1] = step;
            }
            if (checkpoints.due(step - lastCheckpoint[0], now - lastCheckpoint[1])) {
                flush(pendingSteps, pendingValues, pending, step, rate[0]); // the curve so far goes with it
                checkpoint(trainer, lastCheckpoint);
            }
            if (now - lastVisual[0] >= VISUAL_NANOS && visualBusy.compareAndSet(false, true)) {
                lastVisual[0] = now;
                run.setWeights(FrozenWeights.of(trainer));
                refreshVisualsAsync(trainer.view(true), visuals, heldOut, step);
            }
            if (run.stopRequested()) {
                return false;
            }
            if (run.state() == RunState.PAUSED) {
                flush(pendingSteps, pendingValues, pending, step, 0);
                checkpoint(trainer, lastCheckpoint);
                try {
                    if (!run.awaitRunnable()) {
                        return false;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                lastFlush[0] = System.nanoTime();
                lastFlush[1] = step;
            }
            return true;
        });
        flush(pendingSteps, pendingValues, pending, trainer.steps(), rate[0]);
        if (diverged[0] != null) {
            run.transition(RunState.DIVERGED, diverged[0]); // the last checkpoint keeps the last finite weights
            return;
        }
        checkpoint(trainer, lastCheckpoint);
        if (run.halted()) {
            return; // the process is shutting down; the run resumes from this checkpoint
        }
        // the final pictures, from the finished model, on this thread
        while (visualBusy.get()) {
            Thread.sleep(5);
        }
        run.setWeights(FrozenWeights.of(trainer));
        refreshVisuals(trainer.view(true), visuals, heldOut, trainer.steps(), true);
        run.transition(run.stopRequested() ? RunState.STOPPED : RunState.DONE, null);
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

    private void checkpoint(Trainer trainer, long[] last) {
        recorder.checkpoint(Checkpoint.of(trainer));
        last[0] = trainer.steps();
        last[1] = System.nanoTime();
    }

    private void flush(long[] steps, float[] values, int[] pending, long step, double rate) {
        run.progress(steps, values, pending[0], step, rate);
        pending[0] = 0;
    }

    private void refreshVisualsAsync(ModelView view, Visuals visuals, float[] heldOut, long step) {
        try {
            visualsExecutor.execute(() -> {
                try {
                    refreshVisuals(view, visuals, heldOut, step, false);
                } catch (RuntimeException e) {
                    // a failed picture is skipped; training goes on
                } finally {
                    visualBusy.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            visualBusy.set(false);
        }
    }

    private void refreshVisuals(ModelView view, Visuals visuals, float[] heldOut, long step, boolean last) {
        Rng rng = new Rng(run.config().experiment().seed() * 31 + step);
        run.publish(visuals.reverse(view, step, rng));
        run.publish(visuals.field(view, step));
        RunEvent.Samples samples = visuals.samples(view, step, rng);
        run.publish(samples);
        run.publish(new RunEvent.MetricPoint(step, Visuals.metric(samples.cloud(), heldOut)));
    }
}
