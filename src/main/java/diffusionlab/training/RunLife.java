package diffusionlab.training;

/**
 * A run's rules: the states it moves through and the moves each state allows. Not thread-safe: the
 * {@link Run} that owns it guards every call with its lock and publishes a status when a move returns true.
 *
 * <pre>
 *   QUEUED ──start──▶ RUNNING ──pause──▶ PAUSED ──resume──▶ RUNNING
 *   RUNNING / PAUSED ──end──▶ DONE | STOPPED | DIVERGED | FAILED   (terminal: never changes again)
 *   QUEUED ──stop──▶ STOPPED                                        (never trained)
 *   any active state ──halt──▶ (unchanged; the process is shutting down and the run resumes on restart)
 * </pre>
 */
final class RunLife {
    private RunState state = RunState.QUEUED;
    private long step;
    private double stepsPerSecond;
    private int queuePosition;
    private String error;
    private long skippedUpdates;
    private long startedAtMillis;
    private long finishedAtMillis;
    private boolean stopRequested;
    private boolean halted;

    /** A finished run read back from the store, as it ended. */
    static RunLife ended(RunState state, long step, String error, long finishedAtMillis) {
        RunLife life = new RunLife();
        life.state = state;
        life.step = step;
        life.error = error;
        life.finishedAtMillis = finishedAtMillis;
        return life;
    }

    /** A stored run that trains again from its checkpoint at {@code step}. */
    static RunLife resumingAt(long step) {
        RunLife life = new RunLife();
        life.step = step;
        return life;
    }

    /**
     * A run another process trains, as that process last published it (the web role): the state, step,
     * speed, error and skipped updates; true when anything changed.
     */
    boolean mirror(RunState newState, long newStep, double rate, String message, long skipped) {
        boolean changed = state != newState || step != newStep || stepsPerSecond != rate || skippedUpdates != skipped
                || !java.util.Objects.equals(error, message);
        if (newState.isTerminal() && !state.isTerminal()) {
            finishedAtMillis = System.currentTimeMillis();
        } else if (!newState.isTerminal()) {
            finishedAtMillis = 0;
            stopRequested = false;
        }
        if (newState != RunState.QUEUED) {
            queuePosition = 0;
        }
        if (newState == RunState.RUNNING && startedAtMillis == 0) {
            startedAtMillis = System.currentTimeMillis(); // when this instance first heard it train
        }
        state = newState;
        step = newStep;
        stepsPerSecond = rate;
        error = message;
        skippedUpdates = skipped;
        return changed;
    }

    /** A stored run that another process trains, as its row says now. */
    static RunLife mirrored(RunState state, long step, String error, long finishedAtMillis) {
        RunLife life = new RunLife();
        life.state = state;
        life.step = step;
        life.error = error;
        life.finishedAtMillis = finishedAtMillis;
        return life;
    }

    RunState state() {
        return state;
    }

    long finishedAtMillis() {
        return finishedAtMillis;
    }

    /** Whether training should stop at its next step (stopped, failed, or the process is shutting down). */
    boolean stopRequested() {
        return stopRequested;
    }

    boolean halted() {
        return halted;
    }

    /** Whether the worker must wait: the run is paused and nobody asked it to stop. */
    boolean mustWait() {
        return state == RunState.PAUSED && !stopRequested;
    }

    // --- moves: each returns whether the status changed ------------------------------------------

    /** QUEUED → RUNNING, when a worker takes the run. */
    boolean start() {
        if (state != RunState.QUEUED || stopRequested) {
            return false;
        }
        state = RunState.RUNNING;
        queuePosition = 0;
        startedAtMillis = System.currentTimeMillis();
        return true;
    }

    boolean pause() {
        if (state != RunState.RUNNING) {
            return false;
        }
        state = RunState.PAUSED;
        return true;
    }

    boolean resume() {
        if (state != RunState.PAUSED) {
            return false;
        }
        state = RunState.RUNNING;
        return true;
    }

    /**
     * Asks the run to stop: a queued run is STOPPED at once, a training one at its next step (its worker ends
     * it). False when it has already ended.
     */
    boolean requestStop() {
        if (state.isTerminal()) {
            return false;
        }
        stopRequested = true;
        if (state == RunState.QUEUED) {
            endAs(RunState.STOPPED, null);
        }
        return true;
    }

    /** RUNNING or PAUSED → a terminal state, with an optional message; never after a halt. */
    boolean end(RunState terminal, String message) {
        if (!terminal.isTerminal()) {
            throw new IllegalArgumentException(terminal + " is not an end");
        }
        if (state.isTerminal() || halted) {
            return false;
        }
        stopRequested = true;
        endAs(terminal, message);
        return true;
    }

    /** The process is shutting down: training stops, the state stays, the run resumes on the next start. */
    void halt() {
        halted = true;
        stopRequested = true;
    }

    /** A queued run's place in the queue (1 = next); true when it changed. */
    boolean queuedAt(int position) {
        if (state != RunState.QUEUED || queuePosition == position) {
            return false;
        }
        queuePosition = position;
        return true;
    }

    /** The step reached, the speed and the updates skipped so far; always published with the loss points. */
    void progress(long currentStep, double rate, long skipped) {
        step = currentStep;
        stepsPerSecond = rate;
        skippedUpdates = skipped;
    }

    /** A resumed run trains again from {@code restoredStep}. */
    void rewindTo(long restoredStep) {
        step = restoredStep;
    }

    RunStatus status(String id, RunConfig config, long createdAtMillis) {
        return new RunStatus(id, config.name(), config.experiment().objective().id(), state, step,
                config.experiment().steps(), stepsPerSecond, queuePosition, error, skippedUpdates, createdAtMillis,
                startedAtMillis, finishedAtMillis);
    }

    private void endAs(RunState terminal, String message) {
        state = terminal;
        if (message != null) {
            error = message;
        }
        finishedAtMillis = System.currentTimeMillis();
        queuePosition = 0;
    }
}
