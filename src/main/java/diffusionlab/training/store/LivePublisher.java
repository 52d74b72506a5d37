package diffusionlab.training.store;

import diffusionlab.training.StepSeries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's live path to the web instances (docs/SCALING.md): its runs' loss and metric points and status go,
 * as they come (a few times a second), into the store and out as a NOTIFY in the same transaction, from a thread
 * of its own, so a point reaches a viewer tens of milliseconds after its step and every point a viewer was sent
 * is already stored (a web instance that loads a run's history and then hears its notices misses nothing). Each
 * transaction first checks the run's lease ({@link JdbcRunStore#requireLease}): a worker that lost the run
 * publishes nothing more and is told. A failed transaction is tried again with what came since. Work that must
 * not be stored before the points handed over so far (a checkpoint: resuming from it must find every point
 * before it) waits for them: {@link #afterPublished}.
 */
public final class LivePublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LivePublisher.class);
    private static final long RETRY_MILLIS = 250;

    /** Told, on the publisher's thread, that a run's lease is gone. */
    @FunctionalInterface
    public interface LeaseLost {
        void lost(String runId);
    }

    private static final class Pending {
        final StepSeries loss = new StepSeries(64);
        final StepSeries metric = new StepSeries(4);
        LiveNotice.Status status;
        long lossAt; // when the newest point was handed over, just after its step
        final List<Runnable> after = new ArrayList<>(); // once these points are stored
    }

    private final Database db;
    private final LeaseLost onLost;
    private final Thread thread;
    // guarded by this
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Long> leases = new HashMap<>();
    private final java.util.Set<String> publishing = new java.util.HashSet<>();
    private boolean closing;

    LivePublisher(Database db, LeaseLost onLost) {
        this.db = db;
        this.onLost = onLost;
        this.thread = new Thread(this::loop, "live-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    /** From now on the run's points are published under this lease. */
    public synchronized void fence(String runId, long generation) {
        leases.put(runId, generation);
        pending.remove(runId);
    }

    /** The run is no longer this worker's: what is pending for it is dropped. */
    public synchronized void forget(String runId) {
        leases.remove(runId);
        pending.remove(runId);
    }

    public synchronized void loss(String runId, long[] steps, float[] values) {
        Pending p = pendingFor(runId);
        if (p != null) {
            p.loss.addAll(steps, values);
            p.lossAt = System.currentTimeMillis();
        }
    }

    public synchronized void metric(String runId, long step, double value) {
        Pending p = pendingFor(runId);
        if (p != null) {
            p.metric.add(step, value);
            notifyAll();
        }
    }

    /** The run's newest status; publishes it with the points before it at once. */
    public synchronized void status(String runId, LiveNotice.Status status) {
        Pending p = pendingFor(runId);
        if (p != null) {
            p.status = status;
            notifyAll();
        }
    }

    /**
     * Runs {@code then} on the publisher's thread once every point handed over for the run so far is stored; never
     * when the run is forgotten first (its lease is gone).
     */
    public synchronized void afterPublished(String runId, Runnable then) {
        Pending p = pendingFor(runId);
        if (p != null) {
            p.after.add(then);
            notifyAll();
        }
    }

    private Pending pendingFor(String runId) {
        return leases.containsKey(runId) ? pending.computeIfAbsent(runId, id -> new Pending()) : null;
    }

    /** Waits (at most {@code millis}) until nothing is pending for the run, e.g. before it is given up. */
    public synchronized boolean drain(String runId, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while ((pending.containsKey(runId) || publishing.contains(runId)) && leases.containsKey(runId)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void loop() {
        while (true) {
            Map<String, Pending> batch;
            Map<String, Long> fences = new HashMap<>();
            synchronized (this) {
                while (!closing && pending.values().stream().noneMatch(p -> p.status != null || !p.metric.isEmpty()
                        || !p.after.isEmpty())) {
                    try {
                        wait(200);
                    } catch (InterruptedException e) {
                        closing = true;
                    }
                    if (!pending.isEmpty()) {
                        break; // points without a status yet: publish them within 200 ms anyway
                    }
                }
                if (closing && pending.isEmpty()) {
                    return;
                }
                batch = new LinkedHashMap<>(pending);
                pending.clear();
                batch.keySet().forEach(id -> fences.put(id, leases.get(id)));
                publishing.addAll(batch.keySet());
                notifyAll();
            }
            boolean failed = false;
            for (Map.Entry<String, Pending> e : batch.entrySet()) {
                Long lease = fences.get(e.getKey());
                if (lease == null) {
                    continue;
                }
                try {
                    publish(e.getKey(), lease, e.getValue());
                    for (Runnable then : e.getValue().after) {
                        then.run();
                    }
                } catch (LeaseLostException lost) {
                    forget(e.getKey());
                    onLost.lost(e.getKey());
                } catch (RuntimeException ex) {
                    failed = true;
                    requeue(e.getKey(), e.getValue());
                    LOG.warn("run {}: could not publish its progress ({}); trying again", e.getKey(), ex.getMessage());
                }
            }
            synchronized (this) {
                publishing.removeAll(batch.keySet());
                notifyAll();
            }
            if (failed) {
                synchronized (this) {
                    if (closing) {
                        return;
                    }
                    try {
                        wait(RETRY_MILLIS);
                    } catch (InterruptedException ex) {
                        closing = true;
                    }
                }
            }
        }
    }

    /** Puts back what failed, before what came since. */
    private synchronized void requeue(String runId, Pending failed) {
        if (!leases.containsKey(runId)) {
            return;
        }
        Pending newer = pending.remove(runId);
        if (newer != null) {
            failed.loss.addAll(newer.loss);
            failed.metric.addAll(newer.metric);
            failed.status = newer.status != null ? newer.status : failed.status;
            failed.lossAt = Math.max(failed.lossAt, newer.lossAt);
            failed.after.addAll(newer.after);
        }
        pending.put(runId, failed);
    }

    private void publish(String runId, long lease, Pending p) {
        LiveNotice notice = new LiveNotice(runId, p.status, p.loss.steps(), p.loss.floatValues(), p.metric.steps(),
                p.metric.values(), Map.of(), p.lossAt);
        db.transaction(c -> {
            JdbcRunStore.requireLease(c, runId, lease);
            JdbcRunStore.appendLoss(c, runId, notice.lossSteps(), notice.lossValues());
            JdbcRunStore.appendMetric(c, runId, notice.metricSteps(), notice.metricValues());
            List<LiveNotice> parts = notice.split();
            for (LiveNotice part : parts) {
                RunQueue.notify(c, LiveNotice.LIVE, part.json());
            }
            return null;
        });
    }

    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests: the runs with points or a status waiting. */
    synchronized List<String> waiting() {
        return new ArrayList<>(pending.keySet());
    }
}
