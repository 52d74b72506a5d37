package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PicturesTest {
    private static RunEvent.Frames frames(String kind, long step) {
        return new RunEvent.Frames(kind, step, new int[] {0}, new float[][] {{0f, 0f}});
    }

    @Test
    void keepsTheNewestPictureOfEachKindAndNothingElse() {
        Pictures p = new Pictures();
        RunEvent.Frames newerReverse = frames("reverse", 20);
        RunEvent.Samples samples = new RunEvent.Samples(20, "ancestral", new float[] {1f, 2f}, null);

        assertTrue(p.keep(frames("reverse", 10)));
        assertTrue(p.keep(newerReverse));
        assertTrue(p.keep(samples));
        assertFalse(p.keep(new RunEvent.MetricPoint(20, 0.5)), "a metric point is not a picture");
        assertFalse(p.keep(null));

        assertSame(newerReverse, p.reverse());
        assertSame(samples, p.samples());
        assertNull(p.forward());
        assertNull(p.field());
        assertEquals(List.of(newerReverse, samples), p.all());
    }

    @Test
    void keepAllTakesTheNewerOnesPicturesAndKeepsTheRest() {
        Pictures older = new Pictures();
        RunEvent.Frames forward = frames("forward", 1);
        older.keep(forward);
        older.keep(frames("reverse", 1));
        Pictures newer = new Pictures();
        RunEvent.Frames reverse = frames("reverse", 2);
        newer.keep(reverse);

        older.keepAll(newer);

        assertEquals(List.of(forward, reverse), older.all());
        older.clear();
        assertTrue(older.isEmpty());
        assertFalse(newer.isEmpty());
    }

    @Test
    void pollTakesThePicturesInOrderAndReplacedCountsOnlyTheUntakenOnes() {
        Pictures p = new Pictures();
        RunEvent.Field field = new RunEvent.Field(1, new int[] {0}, 1, -1, 1, new float[][] {{0f, 0f}});
        RunEvent.Frames forward = frames("forward", 2);
        p.keep(field);
        p.keep(frames("forward", 1));
        p.keep(forward);
        assertEquals(2, p.size());
        assertEquals(1, p.replaced(), "the first forward frames were never taken");

        assertSame(forward, p.poll());
        assertSame(field, p.poll());
        assertNull(p.poll());
        p.keep(frames("forward", 3));
        assertEquals(1, p.replaced(), "a picture taken is not replaced");
    }
}
