package diffusionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.InvalidConfigException;
import diffusionlab.engine.data.DatasetKind;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.sample.SamplerKind;
import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.engine.schedule.ScheduleKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigParserTest {

    private static InvalidConfigException rejected(Map<String, ?> values) {
        return assertThrows(InvalidConfigException.class, () -> ConfigParser.parse(values));
    }

    @Test
    void anEmptyConfigGivesTheAppDefaults() {
        RunConfig c = ConfigParser.parse(Map.of());
        assertEquals(ObjectiveKind.DDPM_SIMPLE, c.experiment().objective());
        assertEquals(DatasetKind.SWISS_ROLL, c.experiment().dataset());
        assertNull(c.sampling().sampler());
    }

    @Test
    void theNotebookPresetReproducesTheNotebook() {
        RunConfig c = ConfigParser.parse(Map.of("preset", "notebook"));
        assertEquals(ScheduleKind.SIGMOID, c.experiment().schedule());
        assertEquals(100, c.experiment().timesteps());
        assertEquals(1e-5, c.experiment().betaStart());
        assertEquals(1e-2, c.experiment().betaEnd());
        assertEquals(128, c.experiment().batchSize());
        assertEquals(0.9, c.experiment().emaDecay());
        assertEquals(79_000, c.experiment().steps());
    }

    @Test
    void fieldsOverrideThePresetAndAcceptStringsOrNumbers() {
        RunConfig c = ConfigParser.parse(Map.of("preset", "notebook", "batchSize", "64", "lr", 2e-3,
                "objective", "vlb_sohl", "name", "  class demo "));
        assertEquals(64, c.experiment().batchSize());
        assertEquals(2e-3, c.experiment().lr());
        assertEquals(ObjectiveKind.VLB_SOHL, c.experiment().objective());
        assertEquals("class demo", c.name());
    }

    @Test
    void everyPresetIsValid() {
        for (String id : Presets.all().keySet()) {
            RunConfig c = ConfigParser.parse(Presets.get(id).needsParent() ? Map.of("preset", id, "reflowFrom", "a1")
                    : Map.of("preset", id));
            assertEquals(id, c.preset());
        }
        assertEquals("reflowFrom", rejected(Map.of("preset", Presets.REFLOW)).field(), "a reflow needs its parent");
    }

    @Test
    void badValuesNameTheFieldAndTheRange() {
        InvalidConfigException e = rejected(Map.of("batchSize", -3));
        assertEquals("batchSize", e.field());
        assertTrue(e.getMessage().contains("between 2 and"), e.getMessage());
        assertEquals("lr", rejected(Map.of("lr", "NaN")).field());
        assertEquals("betaEnd", rejected(Map.of("betaEnd", "Infinity")).field());
        assertEquals("hidden", rejected(Map.of("hidden", 1e9)).field());
        assertEquals("steps", rejected(Map.of("steps", 2.5)).field());
        assertEquals("timesteps", rejected(Map.of("timesteps", "many")).field());
        assertEquals("objective", rejected(Map.of("objective", "gan")).field());
        assertEquals("dataset", rejected(Map.of("dataset", 3)).field());
        assertEquals("emaDecay", rejected(Map.of("emaDecay", 1.0)).field());
        assertEquals("preset", rejected(Map.of("preset", "nope")).field());
        assertEquals("name", rejected(Map.of("name", "x".repeat(500))).field());
        assertEquals("betaStart", rejected(Map.of("betaStart", 0.5, "betaEnd", 0.1)).field());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F,
            0x061C, 0x2028, 0x2029, 0x0000, 0x001B, 0x0085})
    void aNameWithABidiControlOrALineSeparatorIsRefused(int codePoint) {
        InvalidConfigException e = rejected(Map.of("name", "my " + Character.toString(codePoint) + "run"));
        assertEquals("name", e.field());
        assertTrue(e.getMessage().contains(String.format("U+%04X", codePoint)), e.getMessage());
    }

    @Test
    void aNameMayBeWrittenRightToLeftAndHoldEmoji() {
        for (String name : List.of("שלום עולם", "مرحبا run 2", "👩\u200D🔬 lab", "café – 🌀")) {
            assertEquals(name, ConfigParser.parse(Map.of("name", name)).name());
        }
    }

    @Test
    void unknownFieldsAreErrors() {
        InvalidConfigException e = rejected(Map.of("learningRate", 0.1));
        assertEquals("learningRate", e.field());
        assertTrue(e.getMessage().contains("unknown field"));
    }

    @Test
    void pointsComeAsPairsOrCsvAndAreChecked() {
        Map<String, Object> values = new HashMap<>();
        values.put("dataset", "points");
        values.put("points", List.of(List.of(0, 0), List.of(1, 1)));
        assertEquals("points", rejected(values).field()); // too few
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 20; i++) {
            csv.append(i * 0.1).append(',').append(-i * 0.1).append('\n');
        }
        values.put("points", csv.toString());
        values.put("batchSize", 16);
        RunConfig c = ConfigParser.parse(values);
        assertEquals(20, c.experiment().trainingSize());
        values.put("points", "x,y\n1,2\nfoo,bar\n");
        assertEquals("points", rejected(values).field());
    }

    @Test
    void aRangeErrorNamesTheFieldItsLabelAndTheLimits() {
        InvalidConfigException e = rejected(Map.of("betaEnd", 1.5));
        assertEquals("betaEnd", e.field());
        assertEquals("betaEnd (Last beta) must be a number greater than 0 and at most 0.999", e.getMessage());
        assertEquals("emaDecay (EMA decay) must be a number at least 0 and less than 1",
                rejected(Map.of("emaDecay", 1)).getMessage());
        assertEquals("timesteps (Diffusion steps) must be a whole number between 2 and 1000",
                rejected(Map.of("timesteps", 1)).getMessage());
    }

    @Test
    void aFieldTheExperimentDoesNotUseIsNotRangeCheckedButSamplingFieldsAlwaysAre() {
        assertEquals("betaStart", rejected(Map.of("betaStart", 0.9)).field());
        assertEquals(0.9, ConfigParser.parse(Map.of("schedule", "cosine", "betaStart", 0.9)).experiment().betaStart());
        assertEquals("sigma", rejected(Map.of("objective", "dsm", "sigma", 0)).field());
        assertEquals(0.0, ConfigParser.parse(Map.of("sigma", 0)).experiment().sigma());
        assertEquals("eta", rejected(Map.of("eta", 2)).field()); // the default samples ancestrally, yet eta is checked
    }

    @Test
    void langevinTakesItsOwnNumberOfIterationsUnlessGiven() {
        assertEquals(SamplingConfig.DDIM_STEPS, ConfigParser.parse(Map.of()).sampling().sampleSteps());
        assertEquals(SamplingConfig.DDIM_STEPS, ConfigParser.parse(Map.of("sampler", "ddim")).sampling().sampleSteps());
        assertEquals(1000, ConfigParser.parse(Map.of("objective", "dsm")).sampling().sampleSteps());
        assertEquals(1000, ConfigParser.parse(Map.of("sampler", "langevin")).sampling().sampleSteps());
        assertEquals(1000, ConfigParser.parse(Map.of("preset", "notebook_score")).sampling().sampleSteps());
        assertEquals(30, ConfigParser.parse(Map.of("objective", "ssm", "sampleSteps", 30)).sampling().sampleSteps());
        assertEquals(SamplingConfig.DDIM_STEPS,
                ConfigParser.parse(Map.of("preset", "dsm", "sampler", "ddim", "objective", "ddpm_simple"))
                        .sampling().sampleSteps());
    }

    @Test
    void aFlowModelSamplesWithEulersHundredStepsUnlessToldOtherwise() {
        for (RunConfig c : new RunConfig[] {ConfigParser.parse(Map.of("objective", "flow_matching")),
                ConfigParser.parse(Map.of("preset", "flow_matching"))}) {
            assertEquals(SamplerKind.EULER, c.sampling().effectiveSampler(c.experiment().objective()));
            assertEquals(SamplingConfig.EULER_STEPS, c.sampling().sampleSteps());
        }
        assertEquals(SamplingConfig.HEUN_STEPS,
                ConfigParser.parse(Map.of("preset", "flow_matching", "sampler", "heun")).sampling().sampleSteps());
        assertEquals(8, ConfigParser.parse(Map.of("objective", "flow_matching", "sampler", "heun", "sampleSteps", 8))
                .sampling().sampleSteps());
    }

    @Test
    void aDiffusionModelSamplesWithDpmSolverInItsOwnTwentyStepsUnlessToldOtherwise() {
        RunConfig c = ConfigParser.parse(Map.of("sampler", "dpm_solver_2m"));
        assertEquals(SamplerKind.DPM_SOLVER_2M, c.sampling().effectiveSampler(c.experiment().objective()));
        assertEquals(SamplingConfig.DPM_SOLVER_STEPS, c.sampling().sampleSteps());
        assertEquals(8, ConfigParser.parse(Map.of("sampler", "dpm_solver_2m", "sampleSteps", 8)).sampling().sampleSteps());
        assertEquals("sampler", rejected(Map.of("objective", "flow_matching", "sampler", "dpm_solver_2m")).field());
    }

    @Test
    void onlyAFlowModelReflowsAndItKeepsItsParentsId() {
        assertEquals("abc123", ConfigParser.parse(Map.of("objective", "flow_matching", "reflowFrom", "abc123"))
                .reflowFrom());
        assertEquals("reflowFrom", rejected(Map.of("reflowFrom", "abc123")).field());
        assertEquals(null, ConfigParser.parse(Map.of("objective", "flow_matching")).reflowFrom());
    }

    @Test
    void aSamplerTheObjectiveCannotUseIsRefusedNamingTheSampler() {
        assertEquals("sampler", rejected(Map.of("objective", "flow_matching", "sampler", "ddim")).field());
        assertEquals("sampler", rejected(Map.of("preset", "flow_matching", "sampler", "ancestral")).field());
        assertEquals("sampler", rejected(Map.of("sampler", "euler")).field());
        assertEquals("sampler", rejected(Map.of("objective", "dsm", "sampler", "heun")).field());
    }

    @Test
    void theNotebookPresetsTrainAsLongAsTheNotebook() {
        assertEquals(79_000, ConfigParser.parse(Map.of("preset", "notebook")).experiment().steps()); // 1000 x 79
        assertEquals(5_001 * 79, ConfigParser.parse(Map.of("preset", "notebook_vlb")).experiment().steps());
        assertEquals(5_000, ConfigParser.parse(Map.of("preset", "notebook_score")).experiment().steps());
    }
}
