package diffusionlab.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleBenchCommandTest {

    private static List<Long> curve(long every, long last) {
        List<Long> steps = new ArrayList<>();
        for (long s = every; s <= last; s += every) {
            steps.add(s);
        }
        return steps;
    }

    @Test
    void aCompleteCurveIsEveryStepOnceAndAGapARepeatOrAShortCurveIsNot() {
        assertTrue(ScaleBenchCommand.everyStepOnce(curve(15, 30_000), 30_000));
        assertTrue(ScaleBenchCommand.everyStepOnce(curve(1, 1_000), 1_000), "shorter runs: a point every step");

        List<Long> gap = curve(15, 30_000);
        gap.remove(700);
        assertFalse(ScaleBenchCommand.everyStepOnce(gap, 30_000));
        List<Long> repeat = curve(15, 30_000);
        repeat.add(700, repeat.get(700));
        repeat.remove(repeat.size() - 1);
        assertFalse(ScaleBenchCommand.everyStepOnce(repeat, 30_000));
        assertFalse(ScaleBenchCommand.everyStepOnce(curve(15, 20_000), 30_000), "a run that stopped short");
    }
}
