package diffusionlab.training.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrunePolicyTest {
    private static final long DAY = 86_400_000L;

    @Test
    void keepsTheNewestFinishedRunsAndDeletesTheOldestFirst() {
        List<PrunePolicy.Entry> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            runs.add(new PrunePolicy.Entry("r" + i, true, 1000 + i, 2000 + i));
        }
        assertEquals(List.of("r0", "r1"), new PrunePolicy(3, 0).select(runs, 10_000));
    }

    @Test
    void neverChoosesARunThatIsQueuedTrainingOrPaused() {
        List<PrunePolicy.Entry> runs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            runs.add(new PrunePolicy.Entry("active" + i, false, i, 0));
        }
        runs.add(new PrunePolicy.Entry("done", true, 100, 0));
        List<String> doomed = new PrunePolicy(1, DAY).select(runs, 365 * DAY);
        assertEquals(List.of("done"), doomed); // too old; the active ones are older still, and stay
        assertTrue(new PrunePolicy(1, 0).select(runs, 0).isEmpty());
    }

    @Test
    void deletesRunsFinishedLongerAgoThanTheAgeLimit() {
        List<PrunePolicy.Entry> runs = List.of(
                new PrunePolicy.Entry("old", true, 0, 1 * DAY),
                new PrunePolicy.Entry("recent", true, 0, 9 * DAY),
                new PrunePolicy.Entry("noEnd", true, 2 * DAY, 0));
        assertEquals(List.of("old", "noEnd"), new PrunePolicy(0, 5 * DAY).select(runs, 10 * DAY));
    }

    @Test
    void zeroMeansNoLimit() {
        List<PrunePolicy.Entry> runs = List.of(new PrunePolicy.Entry("a", true, 0, 0), new PrunePolicy.Entry("b", true, 1, 1));
        assertTrue(PrunePolicy.KEEP_ALL.select(runs, Long.MAX_VALUE / 2).isEmpty());
    }
}
