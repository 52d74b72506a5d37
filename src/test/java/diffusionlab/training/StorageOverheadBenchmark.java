package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import diffusionlab.engine.Trainer;
import diffusionlab.training.store.Checkpoint;
import diffusionlab.training.store.CheckpointPolicy;
import diffusionlab.training.store.JdbcRunStore;
import diffusionlab.training.store.PrunePolicy;
import diffusionlab.training.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * What storage costs training: steps/s of a notebook-size run (hidden 128, 3 layers, T = 100, batch 128) with no
 * store, with the H2 store at the default checkpoint policy, and with a checkpoint every second, in one process,
 * rounds interleaved so that drift in the machine's load hits all alike. Training speed is measured between the
 * first loss points after 10% of the steps and the last step (the final pictures excluded). Use a multiple of 3
 * rounds, so that each variant runs first, second and third equally often. Run it with
 * {@code mvn -q -B test -Dtest=StorageOverheadBenchmark -Dbench=true [-Dbench.steps=16000 -Dbench.rounds=3]}.
 * Wall-clock speed on a shared machine is noisy, so it also reports the CPU time of the storage threads (the
 * store's writer and H2's background writer) as a share of the training thread's: on a machine with no idle
 * core, that is what storage can take from training at most.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "bench", matches = "true")
class StorageOverheadBenchmark {
    @TempDir
    Path dataDir;

    @Test
    void stepsPerSecondWithStorageOnAndOff() throws Exception {
        long steps = Long.getLong("bench.steps", 16_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        RunConfig config = ConfigParser.parse(Map.of("preset", "notebook", "steps", steps, "name", "bench"));

        Map<String, Supplier<RunRegistry>> variants = new java.util.LinkedHashMap<>();
        variants.put("off (no store)", () -> new RunRegistry(1));
        variants.put("H2, checkpoint 5000 steps/10 s", () -> registry("default", CheckpointPolicy.DEFAULT));
        variants.put("H2, checkpoint every 1 s", () -> registry("stress", new CheckpointPolicy(1_000_000, 1_000)));

        measure(new RunRegistry(1), config); // warm-up: JIT and the visuals' code paths
        Map<String, List<Double>> rates = new java.util.LinkedHashMap<>();
        Map<String, List<Double>> cpuShares = new java.util.LinkedHashMap<>();
        Map<String, List<Double>> cpuPerStep = new java.util.LinkedHashMap<>();
        variants.keySet().forEach(k -> cpuPerStep.put(k, new ArrayList<>()));
        variants.keySet().forEach(k -> rates.put(k, new ArrayList<>()));
        variants.keySet().forEach(k -> cpuShares.put(k, new ArrayList<>()));
        for (int r = 0; r < rounds; r++) {
            List<String> order = new ArrayList<>(variants.keySet());
            java.util.Collections.rotate(order, r); // each variant takes each position equally often
            for (String name : order) {
                double[] m = measure(variants.get(name).get(), config);
                rates.get(name).add(m[0]);
                cpuShares.get(name).add(m[1]);
                cpuPerStep.get(name).add(m[2]);
                System.out.printf(Locale.ROOT, "round %d  %-32s %7.0f steps/s   training thread %6.1f us CPU/step   "
                        + "storage threads' CPU %.2f%% of training's   (load average %.2f)%n", r + 1, name, m[0], m[2] / 1e3,
                        100 * m[1],
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
        double base = median(rates.get("off (no store)"));
        double baseCpu = median(cpuPerStep.get("off (no store)"));
        System.out.printf(Locale.ROOT, "%nnotebook-size run, %d steps, median of %d rounds:%n", steps, rounds);
        for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
            double m = median(e.getValue());
            double c = median(cpuPerStep.get(e.getKey()));
            System.out.printf(Locale.ROOT, "  %-32s %7.0f steps/s (%+.1f%%)   training thread %6.1f us CPU/step (%+.1f%%)"
                    + "   storage threads %.2f%% of training's CPU%n", e.getKey(), m, 100 * (m / base - 1), c / 1e3,
                    100 * (c / baseCpu - 1), 100 * median(cpuShares.get(e.getKey())));
        }

        System.out.println("  storage threads counted: " + STORAGE_THREADS);
        Trainer trainer = new Trainer(config.experiment());
        long t = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            Checkpoint.of(trainer);
        }
        System.out.printf(Locale.ROOT, "  a checkpoint's copy on the training thread: %.3f ms (%d parameters)%n",
                (System.nanoTime() - t) / 200 / 1e6, trainer.rawWeights().length);
        try (var files = Files.list(dataDir)) {
            files.sorted(Comparator.naturalOrder()).forEach(d -> System.out.printf(Locale.ROOT, "  %s: %.1f MB%n",
                    d.getFileName(), size(d.resolve("diffusionlab.mv.db")) / 1e6));
        }
    }

    private RunRegistry registry(String dir, CheckpointPolicy policy) {
        return RunRegistry.open(1, new StoreSettings(dataDir.resolve(dir), null, policy, PrunePolicy.KEEP_ALL));
    }

    /**
     * Trains one run and returns its training speed and the CPU time of the storage threads as a share of the
     * training thread's, then closes the registry.
     */
    private static double[] measure(RunRegistry registry, RunConfig config) throws InterruptedException {
        long steps = config.experiment().steps();
        long[] first = {0, 0};
        long[] last = {0, 0};
        Map<Long, Long> cpuBefore = threadCpu();
        double share;
        double workerCpuPerStep;
        try (registry) {
            Run run = registry.create(config, "bench");
            run.subscribe(event -> {
                if (event instanceof RunEvent.LossPoints p && p.steps().length > 0) {
                    long step = p.steps()[p.steps().length - 1];
                    long now = System.nanoTime();
                    if (first[0] == 0 && step >= steps / 10) {
                        first[0] = now;
                        first[1] = step;
                    }
                    last[0] = now;
                    last[1] = step;
                }
            });
            RunFixtures.awaitEnd(run, 600_000);
            assertEquals(RunState.DONE, run.state());
            registry.flushStore(java.time.Duration.ofSeconds(10));
            Map<Long, Long> cpuAfter = threadCpu();
            share = storageShare(cpuBefore, cpuAfter);
            workerCpuPerStep = (double) workerCpu(cpuBefore, cpuAfter) / steps;
        }
        return new double[] {(last[1] - first[1]) / ((last[0] - first[0]) / 1e9), share, workerCpuPerStep};
    }

    private static final java.util.Set<String> STORAGE_THREADS = new java.util.TreeSet<>();

    private static Map<Long, Long> threadCpu() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new java.util.HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            cpu.put(id, mx.getThreadCpuTime(id));
        }
        return cpu;
    }

    /** CPU time of the run's worker thread (training, and the final pictures) between two samples. */
    private static long workerCpu(Map<Long, Long> before, Map<Long, Long> after) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long used = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            java.lang.management.ThreadInfo info = mx.getThreadInfo(e.getKey());
            if (info != null && e.getValue() >= 0 && info.getThreadName().startsWith("run-worker")) {
                used += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
        }
        return used;
    }

    /** CPU time of the store's writer and H2's threads over that of the run's worker, between two samples. */
    private static double storageShare(Map<Long, Long> before, Map<Long, Long> after) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long storage = 0;
        long training = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            java.lang.management.ThreadInfo info = mx.getThreadInfo(e.getKey());
            if (info == null || e.getValue() < 0) {
                continue;
            }
            long used = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            String name = info.getThreadName();
            if (name.startsWith("run-worker")) {
                training += used;
            } else if (name.equals("run-store-writer") || name.startsWith("MVStore") || name.startsWith("H2 ")) {
                storage += used;
                STORAGE_THREADS.add(name.replaceAll("[:/].*", ""));
            }
        }
        return training == 0 ? 0 : (double) storage / training;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (Exception e) {
            return 0;
        }
    }
}
