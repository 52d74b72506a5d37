package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.InvalidConfigException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One heavy run (the largest model, a 5,000-step Langevin chain for its pictures) alongside small ones: stop,
 * pause and delete take effect at once, and the small runs' pictures never wait for the heavy run's.
 */
@Tag("slow")
class RunWorkerTest {

    /**
     * The largest model the form allows, with the longest chain: a step takes tens of milliseconds, a picture of
     * 2,000 points hours; with 2,000,000 steps the loss is reported every 1,000 steps (most of a minute).
     */
    private static RunConfig heavy(long steps) {
        return RunFixtures.small("heavy", steps, "hidden", 512, "layers", 6, "objective", "dsm",
                "sampler", "langevin", "sampleSteps", 5000);
    }

    /** Waits until the heavy run has trained long enough to ask for a picture refresh (if it reported meanwhile). */
    private static void awaitPictureInFlight(Run run) throws InterruptedException {
        RunFixtures.await(run, s -> s.state() == RunState.RUNNING, 30_000);
        Thread.sleep(RunWorker.PICTURE_NANOS / 1_000_000 + 1000);
    }

    private static long millisUntil(Run run, java.util.function.Predicate<RunStatus> condition) {
        long start = System.nanoTime();
        RunFixtures.await(run, condition, 60_000);
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aQualitySweepIsFollowedByTwentyFiveTimesItsDurationWithoutOne() {
        assertEquals(RunWorker.SWEEP_NANOS, RunWorker.sweepInterval(0), "a quick sweep: every 10 s");
        assertEquals(RunWorker.SWEEP_NANOS, RunWorker.sweepInterval(RunWorker.SWEEP_NANOS / 25));
        assertEquals(50_000_000_000L, RunWorker.sweepInterval(2_000_000_000L),
                "a sweep of 2 s (a slow machine, or every core training) waits 50 s: 4 % of a core");
    }

    @Test
    void aHeavyRunIsStoppedWithinSecondsWhateverItsSize() throws InterruptedException {
        try (RunRegistry registry = new RunRegistry(1)) {
            Run run = registry.create(heavy(2_000_000), "owner");
            awaitPictureInFlight(run);
            assertTrue(run.stop());
            long millis = millisUntil(run, s -> s.state().isTerminal());
            System.out.println("a heavy run ended " + millis + " ms after its stop");
            assertEquals(RunState.STOPPED, run.state());
            assertTrue(millis < 5000, "stopped after " + millis + " ms");
        }
    }

    @Test
    void aHeavyRunIsPausedWithinSecondsWhateverItsSize() throws InterruptedException {
        try (RunRegistry registry = new RunRegistry(1)) {
            Run run = registry.create(heavy(2_000_000), "owner");
            awaitPictureInFlight(run);
            assertEquals(0, run.status().step(), "the heavy run reports every 1,000 steps, most of a minute");
            assertTrue(run.pause());
            long millis = millisUntil(run, s -> s.step() > 0); // the worker reports the step it waits at
            System.out.println("a heavy run stood still " + millis + " ms after its pause");
            assertTrue(millis < 5000, "still training " + millis + " ms after the pause");
            long pausedAt = run.status().step();
            Thread.sleep(1000);
            assertEquals(pausedAt, run.status().step());
            assertTrue(run.stop());
        }
    }

    @Test
    void deletingAHeavyRunFreesItsTrainingSlotForTheNextRun() throws InterruptedException {
        try (RunRegistry registry = new RunRegistry(1)) {
            Run heavy = registry.create(heavy(2_000_000), "owner");
            Run next = registry.create(RunFixtures.small("next", 1000), "owner");
            awaitPictureInFlight(heavy);
            assertEquals(RunState.QUEUED, next.state());
            assertTrue(registry.delete(heavy.id()));
            long millis = millisUntil(next, s -> s.state() != RunState.QUEUED);
            System.out.println("the next run started " + millis + " ms after the heavy one was deleted");
            assertTrue(millis < 5000, "the next run waited " + millis + " ms");
        }
    }

    @Test
    void aSmallRunsPicturesKeepRefreshingWhileAHeavyRunTrains() throws InterruptedException {
        try (RunRegistry registry = new RunRegistry(2)) {
            Run heavy = registry.create(heavy(20_000), "owner"); // reports every 10 steps: its refresh starts first
            awaitPictureInFlight(heavy);
            Run small = registry.create(RunFixtures.small("small", 2_000_000), "owner");
            small.subscribe(event -> { }); // a viewer: its pictures refresh every PICTURE_NANOS
            long first = awaitReverseAfter(small, -1);
            long start = System.nanoTime();
            long next = awaitReverseAfter(small, first);
            System.out.println("the small run's reverse picture went from step " + first + " to " + next + " in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms beside a heavy run");
            small.stop();
            heavy.stop();
        }
    }

    @Test
    void aRunNobodyWatchesRefreshesItsPicturesSeldomAndAtOnceWhenSomeoneLooks() throws InterruptedException {
        try (RunRegistry registry = new RunRegistry(1)) {
            Run run = registry.create(RunFixtures.small("unwatched", 2_000_000), "owner");
            long first = awaitReverseAfter(run, -1); // the first refresh comes watched or not
            long firstSeen = System.nanoTime();
            Thread.sleep(4_000);
            assertEquals(first, run.history().picture(PictureKind.REVERSE).trainingStep(),
                    "no refresh for a run nobody watches within 4 s (every " + RunWorker.UNWATCHED_PICTURE_NANOS / 1e9
                            + " s)");

            run.subscribe(event -> { }); // someone looks
            // before the unwatched refresh would be due (10 s after the first began), with a second to spare
            long left = RunWorker.UNWATCHED_PICTURE_NANOS / 1_000_000 - (System.nanoTime() - firstSeen) / 1_000_000 - 1000;
            assertTrue(awaitReverseAfter(run, first, left) > first);
            run.stop();
        }
    }

    @Test
    void qualityAgainstSamplingStepsIsMeasuredOffTheTrainingThreadAndOnceMoreWhenTheRunFinishes() {
        try (RunRegistry registry = new RunRegistry(1)) {
            Run run = registry.create(RunFixtures.small("sweep", 200_000, "objective", "flow_matching"), "owner");
            java.util.List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
            run.subscribe(event -> {
                if (event instanceof RunEvent.Quality) {
                    threads.add(Thread.currentThread().getName());
                }
            });
            RunFixtures.awaitEnd(run, 120_000);

            RunEvent.Quality last = run.history().picture(PictureKind.QUALITY, RunEvent.Quality.class);
            assertEquals(200_000, last.trainingStep(), "the last sweep is the finished model's");
            assertEquals("euler", last.sampler());
            assertEquals(run.config().sampling().sampleSteps(), last.evaluations()[last.evaluations().length - 1],
                    "the last chain is the full one");
            assertTrue(threads.size() >= 2, "measured while training and at the end: " + threads);
            assertTrue(threads.get(0).startsWith("run-quality-sweeps"), "the first sweep ran on " + threads.get(0));
            assertTrue(threads.stream().noneMatch(t -> t.startsWith("run-visuals")), "never on the pictures thread");
        }
    }

    @Test
    void aReflowTrainsOnItsParentsPairsAndComesOutStraighterAndBetterInOneStep() {
        try (RunRegistry registry = new RunRegistry(1)) {
            Object[] flow = {"objective", "flow_matching", "dataset", "moons", "hidden", 64, "steps", 8000,
                    "batchSize", 128, "timesteps", 50};
            Run parent = registry.create(RunFixtures.small("parent", 8000, flow), "owner");
            RunConfig reflow = RunFixtures.small("child", 8000, flow);
            RunConfig child = new RunConfig("child", reflow.preset(), reflow.experiment(), reflow.sampling(), parent.id());
            InvalidConfigException early = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigException.class,
                    () -> registry.create(child, "owner"));
            assertEquals("reflowFrom", early.field(), "a parent still training cannot be reflowed");
            assertEquals(RunState.DONE, RunFixtures.awaitEnd(parent, 120_000).state());

            Run reflowed = registry.create(child, "owner");
            assertEquals(RunState.DONE, RunFixtures.awaitEnd(reflowed, 120_000).state());
            assertEquals(java.util.List.of(reflowed), registry.children(parent.id()));

            RunEvent.Quality before = parent.history().picture(PictureKind.QUALITY, RunEvent.Quality.class);
            RunEvent.Quality after = reflowed.history().picture(PictureKind.QUALITY, RunEvent.Quality.class);
            System.out.printf("reflow: straightness %.4f -> %.4f, one Euler step %.4f -> %.4f, full chain %.4f -> %.4f%n",
                    before.straightness(), after.straightness(), before.distances()[0], after.distances()[0],
                    before.distances()[before.distances().length - 1], after.distances()[after.distances().length - 1]);
            assertTrue(after.straightness() < before.straightness(), "straighter");
            assertTrue(after.distances()[0] < before.distances()[0], "better in one step");
        }
    }

    /** The training step of the small run's first reverse picture drawn after {@code step}; fails after 10 s. */
    private static long awaitReverseAfter(Run run, long step) throws InterruptedException {
        return awaitReverseAfter(run, step, 10_000);
    }

    private static long awaitReverseAfter(Run run, long step, long withinMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + withinMillis;
        while (System.currentTimeMillis() < deadline) {
            RunEvent.Picture reverse = run.history().picture(PictureKind.REVERSE);
            if (reverse != null && reverse.trainingStep() > step) {
                return reverse.trainingStep();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no reverse picture after step " + step + " within " + withinMillis + " ms");
    }
}
