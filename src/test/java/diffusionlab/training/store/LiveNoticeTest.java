package diffusionlab.training.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.training.PictureKind;
import diffusionlab.training.RunState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveNoticeTest {

    @Test
    void aNoticeReadsBackAsItWasWritten() {
        LiveNotice sent = new LiveNotice("abc", new LiveNotice.Status(RunState.RUNNING, 1200, 812.34, null, 2),
                new long[] {1190, 1200}, new float[] {0.5f, 0.25f}, new long[] {1200}, new double[] {Double.NaN},
                Map.of(PictureKind.SAMPLES, 1200L), 1_732_805_432_123L);
        LiveNotice read = LiveNotice.parse(sent.json());
        assertEquals("abc", read.runId());
        assertEquals(new LiveNotice.Status(RunState.RUNNING, 1200, 812.3, null, 2), read.status());
        assertArrayEquals(sent.lossSteps(), read.lossSteps());
        assertArrayEquals(sent.lossValues(), read.lossValues());
        assertArrayEquals(sent.metricSteps(), read.metricSteps());
        assertTrue(Double.isNaN(read.metricValues()[0]), "a value that is not finite travels as null");
        assertEquals(Map.of(PictureKind.SAMPLES, 1200L), read.pictures());
        assertEquals(1_732_805_432_123L, read.atMillis(), "when the worker published the newest point");
    }

    @Test
    void aLongBatchOfPointsIsSplitIntoNoticesUnderPostgresLimitWithTheStatusOnTheLast() {
        int n = 2_345;
        long[] steps = new long[n];
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            steps[i] = 1_000_000_000L + 1000L * i;
            values[i] = (float) (Math.PI * 1e-7 * (i + 1));
        }
        String error = "x".repeat(5000);
        LiveNotice batch = new LiveNotice("run1234567", new LiveNotice.Status(RunState.FAILED, steps[n - 1], 0, error, 0),
                steps, values, new long[0], new double[0], Map.of(), 1_732_805_432_123L);
        List<LiveNotice> parts = batch.split();
        System.out.printf("a notice of %d loss points of a long run: %d bytes%n", parts.get(0).lossSteps().length,
                parts.get(0).json().getBytes(StandardCharsets.UTF_8).length);
        List<Long> received = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String json = parts.get(i).json();
            assertTrue(json.getBytes(StandardCharsets.UTF_8).length <= LiveNotice.MAX_BYTES,
                    "notice " + i + " is " + json.length() + " bytes");
            LiveNotice read = LiveNotice.parse(json);
            for (long s : read.lossSteps()) {
                received.add(s);
            }
            if (i < parts.size() - 1) {
                assertNull(read.status(), "the status goes with the last points");
            } else {
                assertEquals(RunState.FAILED, read.status().state());
            }
        }
        assertEquals(n, received.size());
        for (int i = 0; i < n; i++) {
            assertEquals(steps[i], received.get(i));
        }
    }

    @Test
    void aRunChangeReadsBack() {
        LiveNotice.RunChange change = new LiveNotice.RunChange(LiveNotice.RunChange.DELETED, "q2w3e4r5t6");
        assertEquals(change, LiveNotice.RunChange.parse(change.json()));
    }
}
