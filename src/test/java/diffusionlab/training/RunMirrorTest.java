package diffusionlab.training;

import static diffusionlab.training.RunFixtures.small;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.training.store.RunStore;
import diffusionlab.training.store.StoredRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run as a web instance shows it while a worker trains it (no database: the mirror's own rules). */
class RunMirrorTest {
    private final List<RunRemote.Control> sent = new ArrayList<>();
    private final RunRemote remote = (run, control) -> {
        sent.add(control);
        return true;
    };

    private Run mirror() {
        StoredRun row = new StoredRun("m1", "owner", 1L, small("mirrored", 10_000), RunState.RUNNING, 40, null, 0, 20);
        RunHistory history = new RunHistory(new long[] {10, 20, 30, 40}, new float[] {4, 3, 2, 1}, new long[0],
                new double[0], Map.of());
        return Run.mirrorOf(row, RunStore.none(), history, remote);
    }

    @Test
    void pointsOfStepsAlreadyHeldAreDroppedSoEachStepReachesAViewerOnce() {
        Run run = mirror();
        List<Long> sentToViewer = new ArrayList<>();
        run.subscribe(event -> {
            if (event instanceof RunEvent.LossPoints p) {
                for (long s : p.steps()) {
                    sentToViewer.add(s);
                }
                assertEquals(1_732_805_432_123L, p.atMillis(), "the worker's stamp goes on to the viewers");
            }
        });
        // a resumed worker trains again from its checkpoint (step 20): 30 and 40 again, then new ones
        run.mirror(RunState.RUNNING, 60, 100, null, 0, new long[] {30, 40, 50, 60}, new float[] {9, 9, 0.5f, 0.4f},
                1_732_805_432_123L, new long[0], new double[0]);
        assertEquals(List.of(50L, 60L), sentToViewer);
        assertArrayEquals(new long[] {10, 20, 30, 40, 50, 60}, run.history().lossSteps());
        assertArrayEquals(new float[] {4, 3, 2, 1, 0.5f, 0.4f}, run.history().lossValues());
        assertEquals(60, run.status().step());
    }

    @Test
    void theStatusTheWorkerPublishesIsTheRunsAndItsControlsGoToTheRemote() {
        Run run = mirror();
        assertEquals(RunState.RUNNING, run.state());
        assertTrue(run.pause());
        assertTrue(run.stop());
        assertEquals(List.of(RunRemote.Control.PAUSE, RunRemote.Control.STOP), sent);

        run.mirror(RunState.STOPPED, 70, 0, null, 0, new long[0], new float[0], 0, new long[0], new double[0]);
        assertEquals(RunState.STOPPED, run.state());
        assertTrue(run.finishedAtMillis() > 0);
        assertTrue(run.stopRequested());
    }
}
