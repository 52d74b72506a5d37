package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.InvalidConfigException;
import diffusionlab.engine.data.Dataset;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class PointsCsvTest {

    @Test
    void linesOrSemicolonsWithAnOptionalHeaderAreRead() {
        assertArrayEquals(new float[] {1, 2, 3.5f, -4}, PointsCsv.parse("x,y\n1,2\r\n\n3.5, -4\n"));
        assertArrayEquals(new float[] {1, 2, 3, 4}, PointsCsv.parse("1,2;3 4"));
        assertEquals("points", assertThrows(InvalidConfigException.class, () -> PointsCsv.parse("1,2,3")).field());
    }

    /**
     * An 8 MB text of two million lines is refused after the allowed points, read line by line: splitting it
     * whole first made (and held) a string per line, 270 MB of allocation; line by line it is about 60.
     */
    @Test
    void aTextOfMillionsOfLinesIsRefusedInMemoryForTheAllowedPointsOnly() {
        String text = "1,1\n".repeat(2_000_000);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> PointsCsv.parse(text));

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains(String.valueOf(Dataset.MAX_POINTS)), e.getMessage());
        System.out.printf("refusing 2 million CSV lines allocated %.0f MB%n", allocated / 1e6);
        assertTrue(allocated < 135_000_000, allocated / 1_000_000 + " MB");
    }
}
