package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunLifeTest {

    @Test
    void aRunMovesFromQueuedThroughRunningAndPausedToItsEnd() {
        RunLife life = new RunLife();
        assertFalse(life.pause(), "a queued run cannot pause");
        assertFalse(life.resume());
        assertTrue(life.start());
        assertFalse(life.start(), "only once");
        assertTrue(life.pause());
        assertTrue(life.mustWait());
        assertFalse(life.pause());
        assertTrue(life.resume());
        assertFalse(life.mustWait());
        assertTrue(life.end(RunState.DONE, null));
        assertEquals(RunState.DONE, life.state());
        assertFalse(life.end(RunState.FAILED, "late"), "an ended run never changes again");
        assertFalse(life.requestStop());
        assertFalse(life.resume());
    }

    @Test
    void stoppingAQueuedRunEndsItAtOnceButATrainingRunEndsAtItsNextStep() {
        RunLife queued = new RunLife();
        assertTrue(queued.requestStop());
        assertEquals(RunState.STOPPED, queued.state());
        assertTrue(queued.finishedAtMillis() > 0);
        assertFalse(queued.start(), "a worker never trains a stopped run");

        RunLife training = new RunLife();
        training.start();
        training.pause();
        assertTrue(training.requestStop());
        assertEquals(RunState.PAUSED, training.state(), "the worker ends it");
        assertTrue(training.stopRequested());
        assertFalse(training.mustWait(), "a stop wakes a paused worker");
    }

    @Test
    void aHaltedRunKeepsItsStateSoItResumesOnTheNextStart() {
        RunLife life = new RunLife();
        life.start();
        life.halt();
        assertTrue(life.stopRequested());
        assertFalse(life.end(RunState.STOPPED, null));
        assertEquals(RunState.RUNNING, life.state());
        assertThrows(IllegalArgumentException.class, () -> new RunLife().end(RunState.RUNNING, null));
    }

    @Test
    void skippedUpdatesReachTheStatusItsViewersGet() {
        Run run = new Run("r", ConfigParser.parse(Map.of("steps", 100)), "owner", 1);
        List<RunStatus> heard = new ArrayList<>();
        run.subscribe(event -> event.accept(new RunEvent.Visitor<Void>() {
            @Override
            public Void status(RunEvent.StatusChanged e) {
                heard.add(e.status());
                return null;
            }

            @Override
            public Void loss(RunEvent.LossPoints e) {
                return null;
            }

            @Override
            public Void metric(RunEvent.MetricPoint e) {
                return null;
            }

            @Override
            public Void picture(RunEvent.Picture p) {
                return null;
            }
        }));
        assertTrue(run.start());
        run.progress(new long[] {1, 2}, new float[] {0.5f, Float.NaN}, 2, 2, 100, 1);

        assertEquals(1, run.status().skippedUpdates());
        assertEquals(1, heard.get(heard.size() - 1).skippedUpdates());
        assertEquals(2, run.history().lossSteps().length);
    }
}
