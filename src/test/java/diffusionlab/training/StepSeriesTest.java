package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StepSeriesTest {
    @Test
    void growsPastItsCapacityAndKeepsEveryPointInOrder() {
        StepSeries s = new StepSeries(2);
        for (int i = 1; i <= 1000; i++) {
            s.add(10L * i, 1.0 / i);
        }
        s.addAll(new long[] {10_010, 10_020, 10_030}, new float[] {0.5f, 0.25f}); // the shorter length wins

        assertEquals(1002, s.size());
        assertEquals(10, s.steps()[0]);
        assertEquals(10_020, s.steps()[1001]);
        assertEquals(1.0 / 3, s.values()[2]);
        assertEquals(0.25f, s.floatValues()[1001]);
    }

    @Test
    void truncateAfterDropsOnlyTheLaterPoints() {
        StepSeries s = new StepSeries();
        s.addAll(new long[] {100, 200, 300, 400}, new float[] {4, 3, 2, 1});

        s.truncateAfter(250);
        assertArrayEquals(new long[] {100, 200}, s.steps());
        s.truncateAfter(0);
        assertTrue(s.isEmpty());
    }

    @Test
    void addAllOfAnotherSeriesAppendsItsPointsExactly() {
        StepSeries a = new StepSeries(1);
        a.add(1, 0.1);
        StepSeries b = new StepSeries(1);
        b.add(2, Math.PI);
        b.add(3, -1e-9);

        a.addAll(b);

        assertArrayEquals(new long[] {1, 2, 3}, a.steps());
        assertArrayEquals(new double[] {0.1, Math.PI, -1e-9}, a.values());
        assertEquals(2, b.size(), "the other series is unchanged");
    }

    @Test
    void keepLastKeepsTheNewestPointsAndClearEmpties() {
        StepSeries s = new StepSeries(2);
        s.addAll(new long[] {1, 2, 3, 4, 5}, new float[] {10, 20, 30, 40, 50});

        s.keepLast(7);
        assertEquals(5, s.size(), "fewer points than the bound: nothing goes");
        s.keepLast(2);
        assertArrayEquals(new long[] {4, 5}, s.steps());
        assertArrayEquals(new double[] {40, 50}, s.values());
        s.clear();
        assertTrue(s.isEmpty());
        s.add(6, 60);
        assertArrayEquals(new long[] {6}, s.steps());
    }
}
