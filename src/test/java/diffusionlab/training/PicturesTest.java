package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PicturesTest {
    private static RunEvent.Frames frames(PictureKind kind, long step) {
        return new RunEvent.Frames(kind, step, new int[] {0}, new float[][] {{0f, 0f}});
    }

    @Test
    void keepsTheNewestPictureOfEachKind() {
        Pictures p = new Pictures();
        RunEvent.Frames newerReverse = frames(PictureKind.REVERSE, 20);
        RunEvent.Samples samples = new RunEvent.Samples(20, "ancestral", new float[] {1f, 2f}, null);

        p.keep(frames(PictureKind.REVERSE, 10));
        p.keep(newerReverse);
        p.keep(samples);
        p.keep(null);

        assertSame(newerReverse, p.get(PictureKind.REVERSE));
        assertSame(samples, p.get(PictureKind.SAMPLES));
        assertNull(p.get(PictureKind.FORWARD));
        assertNull(p.get(PictureKind.FIELD));
        assertEquals(List.of(newerReverse, samples), p.all());
    }

    @Test
    void everyPictureIsOfItsOwnKindAndFramesAreForwardOrReverse() {
        assertEquals(PictureKind.DATA, new RunEvent.Data(new float[2]).kind());
        assertEquals(PictureKind.FIELD, new RunEvent.Field(1, new int[1], 1, 0, 1, new float[1][2]).kind());
        assertEquals(PictureKind.SAMPLES, new RunEvent.Samples(1, "ddim", new float[2], null).kind());
        assertThrows(IllegalArgumentException.class, () -> frames(PictureKind.SAMPLES, 1));
        for (PictureKind kind : PictureKind.values()) {
            assertSame(kind, PictureKind.byId(kind.id()));
        }
        assertNull(PictureKind.byId("density"));
    }

    @Test
    void keepAllTakesTheNewerOnesPicturesAndKeepsTheRest() {
        Pictures older = new Pictures();
        RunEvent.Frames forward = frames(PictureKind.FORWARD, 1);
        older.keep(forward);
        older.keep(frames(PictureKind.REVERSE, 1));
        Pictures newer = new Pictures();
        RunEvent.Frames reverse = frames(PictureKind.REVERSE, 2);
        newer.keep(reverse);

        older.keepAll(newer.all());

        assertEquals(List.of(forward, reverse), older.all());
        older.clear();
        assertTrue(older.isEmpty());
        assertFalse(newer.isEmpty());
    }

    @Test
    void pollTakesThePicturesInKindOrderAndReplacedCountsOnlyTheUntakenOnes() {
        Pictures p = new Pictures();
        RunEvent.Field field = new RunEvent.Field(1, new int[] {0}, 1, -1, 1, new float[][] {{0f, 0f}});
        RunEvent.Frames forward = frames(PictureKind.FORWARD, 2);
        RunEvent.Data data = new RunEvent.Data(new float[] {1f, 1f});
        p.keep(field);
        p.keep(frames(PictureKind.FORWARD, 1));
        p.keep(forward);
        p.keep(data);
        assertEquals(3, p.size());
        assertEquals(1, p.replaced(), "the first forward frames were never taken");

        assertSame(data, p.poll());
        assertSame(forward, p.poll());
        assertSame(field, p.poll());
        assertNull(p.poll());
        p.keep(frames(PictureKind.FORWARD, 3));
        assertEquals(1, p.replaced(), "a picture taken is not replaced");
    }
}
