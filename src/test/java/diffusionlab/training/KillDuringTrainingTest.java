package diffusionlab.training;

import static diffusionlab.training.RunFixtures.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import diffusionlab.training.store.StoreSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} during training, for real: a child JVM trains on a DATA_DIR and is destroyed forcibly
 * mid-run; a registry opened on the same DATA_DIR finds the finished run intact and resumes the killed one
 * from its last checkpoint to the end, losing at most about one checkpoint interval.
 */
class KillDuringTrainingTest {
    private static final long STEPS = 400_000;

    @TempDir
    Path dataDir;

    @Test
    void aKilledProcessLosesAtMostACheckpointIntervalAndNoFinishedRun() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                TrainingChild.class.getName(), dataDir.toString(), Long.toString(STEPS))
                .redirectErrorStream(true).start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> transcript = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // the child is gone
            }
        });
        reader.setDaemon(true);
        reader.start();

        String finishedId = null;
        String runId = null;
        long lastCheckpoint = -1;
        long lastStep = -1;
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (lastCheckpoint < 60_000) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (System.currentTimeMillis() > deadline || (line == null && !child.isAlive())) {
                    fail("the child did not get far enough:\n" + String.join("\n", transcript) + "\n" + lines);
                }
                if (line == null) {
                    continue;
                }
                transcript.add(line);
                String[] w = line.split(" ");
                switch (w[0]) {
                    case "FINISHED" -> {
                        finishedId = w[1];
                        assertEquals("DONE", w[2]);
                    }
                    case "RUN" -> runId = w[1];
                    case "STEP" -> lastStep = Long.parseLong(w[1]);
                    case "CHECKPOINT" -> lastCheckpoint = Long.parseLong(w[1]);
                    default -> { }
                }
            }
            // let it train on past the checkpoint, to a step that is not one
            long target = lastCheckpoint + TrainingChild.POLICY.everySteps() / 2;
            while (lastStep < target) {
                String line = lines.poll(5, TimeUnit.SECONDS);
                assertNotNull(line, "the child stopped printing");
                if (line.startsWith("STEP ")) {
                    lastStep = Long.parseLong(line.substring(5));
                } else if (line.startsWith("CHECKPOINT ")) {
                    lastCheckpoint = Long.parseLong(line.substring(11));
                }
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no final save
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        assertNotNull(finishedId);
        assertNotNull(runId);

        long opened = System.nanoTime();
        try (RunRegistry registry = RunRegistry.open(1, new StoreSettings(dataDir, null, TrainingChild.POLICY,
                diffusionlab.training.store.PrunePolicy.KEEP_ALL))) {
            long openMillis = (System.nanoTime() - opened) / 1_000_000;
            Run finished = registry.get(finishedId).orElseThrow();
            assertEquals(RunState.DONE, finished.state());
            RunSnapshot f = finished.snapshot();
            assertEquals(2000, f.status().step());
            assertNotNull(f.history().picture(PictureKind.SAMPLES, RunEvent.Samples.class), "the finished run's samples survive");
            assertEquals(2000, f.history().lossSteps()[f.history().lossSteps().length - 1]);
            assertEquals("owner-a", finished.ownerHash());

            Run run = registry.get(runId).orElseThrow();
            RunSnapshot resumed = run.snapshot();
            long from = resumed.status().step();
            long lost = lastStep - from;
            System.out.printf("killed at step >= %d; last checkpoint seen %d; resumed from %d (lost %d steps, "
                    + "interval %d); registry open in %d ms%n", lastStep, lastCheckpoint, from, lost,
                    TrainingChild.POLICY.everySteps(), openMillis);
            assertTrue(from >= lastCheckpoint, "a committed checkpoint is never lost");
            assertTrue(lost <= TrainingChild.POLICY.everySteps(), "lost " + lost + " steps");
            for (long s : resumed.history().lossSteps()) {
                assertTrue(s <= from, "no curve point after the checkpoint survives: " + s);
            }
            assertEquals("owner-b", run.ownerHash());

            RunStatus end = awaitEnd(run, 180_000);
            assertEquals(RunState.DONE, end.state(), end.toString());
            assertEquals(STEPS, end.step());
            long[] loss = run.history().lossSteps();
            assertEquals(2000, loss.length, "one point every 200 steps, none lost or repeated");
            for (int i = 1; i < loss.length; i++) {
                assertTrue(loss[i] > loss[i - 1]);
            }
            assertArrayEquals(new long[] {200, STEPS}, new long[] {loss[0], loss[loss.length - 1]});
        }
    }
}
