package diffusionlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainCommandTest {

    @Test
    void qualityIsMeasuredOnTheWayAtTheStepsAskedInOrder() {
        assertArrayEquals(new long[] {4000, 8000}, TrainCommand.evalSteps("8000, 4000,8000", 30_000));
        assertArrayEquals(new long[0], TrainCommand.evalSteps("", 30_000));
    }

    @Test
    void aStepOutsideTheRunOrNotANumberIsAUsageErrorNamingTheOption() {
        UsageException late = assertThrows(UsageException.class, () -> TrainCommand.evalSteps("30000", 30_000));
        assertTrue(late.getMessage().startsWith("--eval-at: every step must be in [1, 29999]"), late.getMessage());
        UsageException word = assertThrows(UsageException.class, () -> TrainCommand.evalSteps("soon", 30_000));
        assertTrue(word.getMessage().startsWith("--eval-at:"), word.getMessage());
    }
}
