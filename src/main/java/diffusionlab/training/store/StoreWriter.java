package diffusionlab.training.store;

import diffusionlab.training.RunEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes runs to a {@link RunStore} from its own thread, so that training never waits for the database.
 * Callers only merge their change into the run's pending {@link RunChanges} (loss points appended; pictures,
 * checkpoint and status replaced by newer ones) and return. Every {@code flushMillis} the thread writes each
 * run's pending changes in one transaction. A failed write is retried with growing delays together with
 * what arrived since. A checkpoint or a run's end is written at once (so a killed process loses no more
 * than the checkpoint interval, and no finished run). After the last attempt the run's changes are dropped and the failure listener is told,
 * once per give-up. Changes for a deleted run are discarded. An {@link Error} from the store (an
 * OutOfMemoryError while it serialises, say) is a failed write like any other; anything that escapes the
 * writer's own code ends the thread and is handed to the {@link Fatal} hook, because a writer that silently
 * stopped would lose every run after it.
 */
public final class StoreWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

    /** Told, on the writer's thread, that a run's changes could not be stored. */
    @FunctionalInterface
    public interface FailureListener {
        void failed(String runId, String reason);
    }

    /** Told, once, that the writer's thread died: nothing will be stored any more. */
    @FunctionalInterface
    public interface Fatal {
        void died(Throwable cause);

        /** For the app: logs and halts the process, so that the platform restarts it and the runs resume. */
        Fatal HALT = cause -> {
            LOG.error("the store writer died; halting so that the app restarts and its runs resume from their "
                    + "last checkpoint", cause);
            Runtime.getRuntime().halt(70);
        };
    }

    /** Attempts per write and the delays between them (doubling from first to max). */
    public record Retry(int attempts, long firstDelayMillis, long maxDelayMillis) {
        /** About 30 s of retries: a database restart or a PaaS failover passes without losing a run. */
        public static final Retry DEFAULT = new Retry(8, 500, 8_000);

        long delayMillis(int failures) {
            return Math.min(maxDelayMillis, firstDelayMillis << Math.min(failures - 1, 20));
        }
    }

    private final RunStore store;
    private final FailureListener onFailure;
    private final Fatal onFatal;
    private final long flushMillis;
    private final Retry retry;
    private final Thread thread;

    // guarded by this
    private final Map<String, RunChanges> pending = new LinkedHashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final Map<String, Long> retryAtNanos = new HashMap<>();
    private final ArrayDeque<String> deletes = new ArrayDeque<>();
    private final Set<String> deleted = new HashSet<>();
    private final Map<String, Long> leases = new HashMap<>();
    private long requested;
    private long completed;
    private boolean flushNow;
    private boolean closing;

    public StoreWriter(RunStore store, FailureListener onFailure, Fatal onFatal) {
        this(store, onFailure, onFatal, 500, Retry.DEFAULT);
    }

    public StoreWriter(RunStore store, FailureListener onFailure, Fatal onFatal, long flushMillis, Retry retry) {
        this.store = store;
        this.onFailure = onFailure;
        this.onFatal = onFatal;
        this.flushMillis = flushMillis;
        this.retry = retry;
        this.thread = new Thread(this::run, "run-store-writer");
        thread.setDaemon(true);
        thread.start();
    }

    // --- producers: never block on the store ---------------------------------------------------------

    public void insert(StoredRun run) {
        change(run.id(), c -> c.insert(run));
    }

    public void status(String id, RunChanges.Status status) {
        change(id, c -> c.status(status));
        if (status.state().isTerminal()) {
            wake();
        }
    }

    public void loss(String id, long[] steps, float[] values) {
        change(id, c -> c.loss(steps, values));
    }

    public void metric(String id, long step, double value) {
        change(id, c -> c.metric(step, value));
    }

    /** A picture: the newest of each kind wins. */
    public void picture(String id, RunEvent.Picture picture) {
        change(id, c -> c.picture(picture));
    }

    public void checkpoint(String id, Checkpoint checkpoint) {
        change(id, c -> c.checkpoint(checkpoint));
        wake();
    }

    /** Deletes the run's curve points after {@code step} (before any point enqueued after this call). */
    public void truncateAfter(String id, long step) {
        change(id, c -> c.truncateAfter(step));
    }

    /** Discards the run's pending changes (and any that come later) and deletes it from the store. */
    public synchronized void delete(String id) {
        pending.remove(id);
        failures.remove(id);
        retryAtNanos.remove(id);
        deleted.add(id);
        deletes.add(id);
        flushNow = true;
        notifyAll();
    }

    /**
     * A worker's run (docs/SCALING.md): from now on every write for it checks, in its transaction, that the run
     * is still held under this lease generation; a write that finds it is not writes nothing, the run's changes
     * are dropped from then on, and the failure listener is told.
     */
    public synchronized void fence(String id, long generation) {
        leases.put(id, generation);
        deleted.remove(id);
        failures.remove(id);
        retryAtNanos.remove(id);
    }

    /** The worker gave the run up: what is still pending for it is dropped, and anything that comes later. */
    public synchronized void forget(String id) {
        pending.remove(id);
        failures.remove(id);
        retryAtNanos.remove(id);
        leases.remove(id);
        deleted.add(id);
    }

    private synchronized void wake() {
        flushNow = true;
        notifyAll();
    }

    private synchronized void change(String id, Consumer<RunChanges> update) {
        if (!deleted.contains(id)) {
            RunChanges changes = pending.computeIfAbsent(id, RunChanges::new);
            update.accept(changes);
            Long lease = leases.get(id);
            if (lease != null) {
                changes.lease(lease);
            }
        }
    }

    /**
     * Writes what is pending now and waits for it; true when nothing is left waiting for a retry. Blocks:
     * for shutdown and tests, never for a training thread.
     */
    public synchronized boolean flush(Duration timeout) {
        return flushUntil(timeout, () -> true) && retryAtNanos.isEmpty() && deletes.isEmpty();
    }

    /**
     * Writes the run's pending changes now and waits, through retries, until the store has them: true once it
     * does, false when the timeout passes first or the writer is dead. (Should the writer give up meanwhile,
     * the failure listener has been told.) Blocks: for a run's worker when the run ends, never while training.
     */
    public synchronized boolean flush(String runId, Duration timeout) {
        return flushUntil(timeout, () -> !pending.containsKey(runId) && !retryAtNanos.containsKey(runId));
    }

    /** Asks for a pass now and waits until it is over and {@code done} holds (checked under this lock). */
    private synchronized boolean flushUntil(Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long ticket = ++requested;
        flushNow = true;
        notifyAll();
        while (thread.isAlive()) {
            if (completed >= ticket && done.getAsBoolean()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Writes everything still pending (one last attempt each, no waiting for retries) and stops the thread. */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- the writer thread -----------------------------------------------------------------------------

    private void run() {
        try {
            loop();
        } catch (Throwable t) {
            synchronized (this) {
                notifyAll(); // whoever waits in flush learns that the thread is gone
            }
            onFatal.died(t);
        }
    }

    private void loop() {
        while (true) {
            List<String> toDelete;
            List<RunChanges> batch;
            long ticket;
            boolean last;
            synchronized (this) {
                long until = System.nanoTime() + flushMillis * 1_000_000L;
                while (!closing && !flushNow) {
                    long left = until - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        closing = true;
                    }
                }
                flushNow = false;
                last = closing;
                ticket = requested;
                toDelete = new ArrayList<>(deletes);
                deletes.clear();
                batch = takeDue(last);
            }
            for (String id : toDelete) {
                deleteNow(id, last);
            }
            for (RunChanges changes : batch) {
                writeNow(changes, last);
            }
            synchronized (this) {
                completed = Math.max(completed, ticket);
                notifyAll();
                if (last) {
                    if (!pending.isEmpty()) {
                        LOG.error("shutting down with unsaved changes for {} run(s): {}", pending.size(), pending.keySet());
                    }
                    return;
                }
            }
        }
    }

    /** The pending changes whose retry time has come (all of them on the last pass). */
    private List<RunChanges> takeDue(boolean all) {
        List<RunChanges> due = new ArrayList<>();
        long now = System.nanoTime();
        for (Iterator<Map.Entry<String, RunChanges>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, RunChanges> e = it.next();
            Long at = retryAtNanos.get(e.getKey());
            if (all || at == null || at - now <= 0) {
                due.add(e.getValue());
                it.remove();
            }
        }
        return due;
    }

    private void writeNow(RunChanges changes, boolean last) {
        String id = changes.runId();
        try {
            store.write(changes);
            synchronized (this) {
                failures.remove(id);
                retryAtNanos.remove(id);
            }
            return;
        } catch (LeaseLostException e) {
            synchronized (this) {
                forget(id);
            }
            LOG.warn("run {}: {}; its changes are dropped", id, e.getMessage());
            tell(id, e.getMessage());
            return;
        } catch (RuntimeException | Error e) {
            String reason = e instanceof StoreException ? e.getMessage() : "an internal error (" + e + ")";
            int failed;
            synchronized (this) {
                if (deleted.contains(id)) {
                    return;
                }
                failed = failures.merge(id, 1, Integer::sum);
                if (failed < retry.attempts() && !last) {
                    RunChanges newer = pending.remove(id);
                    if (newer != null) {
                        changes.absorb(newer);
                    }
                    pending.put(id, changes);
                    long delay = retry.delayMillis(failed);
                    retryAtNanos.put(id, System.nanoTime() + delay * 1_000_000L);
                    LOG.warn("run {}: write failed ({}); retry {} of {} in {} ms", id, reason, failed,
                            retry.attempts() - 1, delay);
                    return;
                }
                failures.remove(id);
                retryAtNanos.remove(id);
            }
            LOG.error("run {}: giving up after {} attempt(s); its latest changes are lost", id, failed, e);
            tell(id, reason);
        }
    }

    private void tell(String id, String reason) {
        try {
            onFailure.failed(id, reason);
        } catch (RuntimeException listenerError) {
            LOG.error("run {}: the failure listener failed", id, listenerError);
        }
    }

    private void deleteNow(String id, boolean last) {
        try {
            store.delete(id);
        } catch (RuntimeException | Error e) {
            int failed;
            synchronized (this) {
                failed = failures.merge("delete " + id, 1, Integer::sum);
                if (failed < retry.attempts() && !last) {
                    deletes.add(id);
                    LOG.warn("run {}: delete failed ({}); will retry", id, e.getMessage());
                    return;
                }
                failures.remove("delete " + id);
            }
            LOG.error("run {}: could not delete it from the store; it may come back after a restart", id, e);
        }
    }
}
