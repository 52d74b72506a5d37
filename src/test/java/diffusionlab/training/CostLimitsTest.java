package diffusionlab.training;

import static diffusionlab.training.RunCostTest.config;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.InvalidConfigException;
import diffusionlab.engine.sample.SamplerKind;
import diffusionlab.engine.sample.SamplingConfig;
import org.junit.jupiter.api.Test;

/**
 * On the Procfile's heap ({@code -Xmx256m}, of which the serial collector reports about 247 MB as the maximum):
 * what is refused before it starts, naming the field and the numbers.
 */
class CostLimitsTest {
    static final CostLimits DYNO = CostLimits.forHeap(240L << 20);

    @Test
    void theLargestConfigTheValidatorAcceptsIsRefusedNamingItsBatchAndTheNumbers() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> DYNO.requireRun(
                config("datasetSize", 100_000, "hidden", 512, "layers", 6, "batchSize", 10_000)));
        assertEquals("batchSize", e.field());
        assertTrue(e.getMessage().startsWith("batchSize 10000: this run needs ~"), e.getMessage());
        assertTrue(e.getMessage().endsWith("this server allows 96 MB per run"), e.getMessage());
    }

    @Test
    void everyPresetFitsOnTheDyno() {
        for (String preset : Presets.all().keySet()) {
            assertDoesNotThrow(() -> DYNO.requireRun(Presets.get(preset).needsParent()
                    ? config("preset", preset, "reflowFrom", "parent1") : config("preset", preset)), preset);
        }
    }

    @Test
    void picturesThatTakeMinutesToDrawAreRefusedNamingTheChainOrTheModel() {
        InvalidConfigException chain = assertThrows(InvalidConfigException.class,
                () -> DYNO.requireRun(config("preset", "dsm", "sampleSteps", 5000)));
        assertEquals("sampleSteps", chain.field());
        InvalidConfigException model = assertThrows(InvalidConfigException.class,
                () -> DYNO.requireRun(config("hidden", 384, "layers", 6)));
        assertEquals("hidden", model.field(), model.getMessage());
    }

    @Test
    void aSampleBlamesTheNumberOfPointsWhenFewerWouldFitAndTheChainOtherwise() {
        RunConfig run = config();
        SamplingConfig langevin = run.sampling().withSampler(SamplerKind.LANGEVIN, 5000);
        InvalidConfigException steps = assertThrows(InvalidConfigException.class,
                () -> DYNO.requireSample(run.experiment(), langevin, 10_000, 2000, 2000));
        assertEquals("sampleSteps", steps.field());
        assertTrue(steps.getMessage().contains("this server allows 60 s per sample"), steps.getMessage());
        SamplingConfig shorter = run.sampling().withSampler(SamplerKind.LANGEVIN, 1000);
        InvalidConfigException n = assertThrows(InvalidConfigException.class,
                () -> DYNO.requireSample(run.experiment(), shorter, 10_000, 2000, 2000));
        assertEquals("n", n.field());
        assertDoesNotThrow(() -> DYNO.requireSample(run.experiment(), run.sampling(), 10_000, 2000, 2000));
    }
}
