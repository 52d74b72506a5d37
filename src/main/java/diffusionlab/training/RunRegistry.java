package diffusionlab.training;

import java.security.SecureRandom;
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

/**
 * All runs of this process: creates them, queues them so that at most {@code maxConcurrent} train at
 * once (first come, first served, positions published live), and finds, lists and deletes them.
 */
public final class RunRegistry implements AutoCloseable {
    private static final String ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final LinkedHashSet<Run> queued = new LinkedHashSet<>();
    private final ExecutorService workers;
    private final ExecutorService visuals;
    private final SecureRandom random = new SecureRandom();
    private final int maxConcurrent;

    public RunRegistry(int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
        this.workers = Executors.newFixedThreadPool(maxConcurrent, named("run-worker"));
        this.visuals = Executors.newSingleThreadExecutor(named("run-visuals"));
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

    /** Creates a run and queues it for training. */
    public Run create(RunConfig config, String ownerHash) {
        Run run = new Run(newId(), config, ownerHash, System.currentTimeMillis());
        runs.put(run.id(), run);
        synchronized (queued) {
            queued.add(run);
            run.setQueuePosition(queued.size());
        }
        workers.execute(() -> {
            dequeue(run);
            new RunWorker(run, visuals).run();
        });
        return run;
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

    /** Stops and forgets a run. */
    public boolean delete(String id) {
        Run run = runs.remove(id);
        if (run == null) {
            return false;
        }
        run.stop();
        dequeue(run);
        return true;
    }

    @Override
    public void close() {
        runs.values().forEach(Run::stop);
        workers.shutdownNow();
        visuals.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
