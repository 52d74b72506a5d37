package diffusionlab.training;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.Trainer;
import diffusionlab.engine.sample.SamplingConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What the quality-vs-NFE sweep costs training (issue 10: at most 5 % of its steps/s): a preset's training steps/s
 * in blocks without and with sweeps beside it, alternated in one process, the sweeps at the worker's own cadence
 * ({@link RunWorker#sweepInterval}) from frozen copies of the weights, on their own thread, as a worker runs them.
 * Two cases: one run training (the machine's other cores free), and every core training (as many trainers as
 * cores, the sweep for one of them: it can only take time from training). Also the sweep thread's CPU time as a
 * share of the swept trainer's. Run it with
 * {@code mvn -q -B test -Dtest=QualitySweepBenchmark -Dbench=true -DexcludedGroups= [-Dbench.seconds=10 -Dbench.rounds=6
 * -Dbench.presets=default,flow_matching]}. The sweeps' cadence runs on from one block with sweeps to the next, as in
 * a run.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "bench", matches = "true")
class QualitySweepBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void trainingStepsPerSecondWithAndWithoutTheQualitySweep() throws Exception {
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "10"));
        int rounds = Integer.getInteger("bench.rounds", 6);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "# quality sweep cost: %d cores, java %s, blocks of %.0f s, %d rounds%n",
                cores, System.getProperty("java.version"), seconds, rounds);
        for (String preset : System.getProperty("bench.presets", "default").split(",")) {
            for (int trainers : new int[] {1, cores}) {
                measure(preset, trainers, seconds, rounds);
            }
        }
    }

    private static void measure(String preset, int trainers, double seconds, int rounds) throws Exception {
        ExperimentConfig ex = Presets.get(preset).experiment().toBuilder().steps(10_000_000).build();
        SamplingConfig sampling = Presets.get(preset).sampling();
        List<Trainer> models = new ArrayList<>();
        for (int i = 0; i < trainers; i++) {
            Trainer t = new Trainer(ex.toBuilder().seed(i + 1).build());
            for (int s = 0; s < 2000; s++) {
                t.step(); // warm-up
            }
            models.add(t);
        }
        QualitySweep sweep = new QualitySweep(ex.objective(), sampling, ex.timesteps(), models.get(0).shape());
        RunWorker.HeldOut heldOut = RunWorker.HeldOut.of(models.get(0), ex.seed());
        double[] without = new double[rounds];
        double[] with = new double[rounds];
        double cpuShare = 0;
        int sweeps = 0;
        long[] untilNextSweep = {100_000_000L}; // the sweeps' clock runs on through the blocks with sweeps
        for (int r = 0; r < rounds; r++) {
            without[r] = block(models, seconds, null, null, null)[0];
            double[] swept = block(models, seconds, sweep, heldOut, untilNextSweep);
            with[r] = swept[0];
            cpuShare += swept[1];
            sweeps += (int) swept[2];
        }
        double a = mean(without);
        double b = mean(with);
        System.out.printf(Locale.ROOT, "%-14s trainers %d: steps/s without %8.0f, with %8.0f (%+.1f %%); %d sweeps, "
                        + "sweep CPU / swept trainer's CPU %.1f %%; rounds without %s with %s%n",
                preset, trainers, a, b, 100 * (b - a) / a, sweeps, 100 * cpuShare / rounds,
                format(without), format(with));
    }

    /**
     * Every trainer trains for the block's seconds, with sweeps when {@code sweep} is given, the first after
     * {@code untilNextSweep[0]} (left there for the next block); returns {total steps/s, sweep CPU share, sweeps}.
     */
    private static double[] block(List<Trainer> models, double seconds, QualitySweep sweep, RunWorker.HeldOut heldOut,
                                  long[] untilNextSweep) throws Exception {
        long begin = System.nanoTime();
        long end = begin + (long) (seconds * 1e9);
        AtomicLong steps = new AtomicLong();
        AtomicBoolean copyWanted = new AtomicBoolean();
        AtomicReference<FrozenWeights> copy = new AtomicReference<>();
        long[] trainerCpu = new long[1];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            Trainer t = models.get(i);
            boolean first = i == 0;
            threads.add(new Thread(() -> {
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                long n = 0;
                while (System.nanoTime() < end) {
                    for (int k = 0; k < 20; k++) {
                        t.step();
                    }
                    n += 20;
                    if (first && copyWanted.compareAndSet(true, false)) {
                        copy.set(FrozenWeights.of(t)); // on the training thread, as the worker copies
                    }
                }
                steps.addAndGet(n);
                if (first) {
                    trainerCpu[0] = THREADS.getCurrentThreadCpuTime() - cpu0;
                }
            }));
        }
        long[] sweepCpu = new long[1];
        int[] sweeps = new int[1];
        Thread sweeper = sweep == null ? null : new Thread(() -> {
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long cost = 0;
            long next = begin + untilNextSweep[0];
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                if (now < next) {
                    sleepNanos(Math.min(next, end) - now);
                    continue;
                }
                copyWanted.set(true);
                FrozenWeights weights;
                while ((weights = copy.getAndSet(null)) == null && System.nanoTime() < end) {
                    sleepNanos(1_000_000);
                }
                if (weights == null) {
                    break;
                }
                long start = System.nanoTime();
                sweep.measure(weights.view(true), weights.step(), heldOut.points(), 7, () -> false);
                cost = System.nanoTime() - start;
                sweeps[0]++;
                next = start + RunWorker.sweepInterval(cost);
            }
            untilNextSweep[0] = Math.max(0, next - end);
            sweepCpu[0] = THREADS.getCurrentThreadCpuTime() - cpu0;
        });
        long t0 = System.nanoTime();
        threads.forEach(Thread::start);
        if (sweeper != null) {
            sweeper.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (sweeper != null) {
            sweeper.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        return new double[] {steps.get() / elapsed, trainerCpu[0] == 0 ? 0 : (double) sweepCpu[0] / trainerCpu[0],
                sweeps[0]};
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }

    private static String format(double[] xs) {
        StringBuilder b = new StringBuilder("[");
        for (double x : xs) {
            b.append(b.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.0f", x));
        }
        return b.append(']').toString();
    }
}
