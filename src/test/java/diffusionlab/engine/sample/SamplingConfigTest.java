package diffusionlab.engine.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.CancelledException;
import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.InvalidConfigException;
import diffusionlab.engine.Rng;
import diffusionlab.engine.Trainer;
import diffusionlab.engine.data.DatasetKind;
import diffusionlab.engine.objective.ObjectiveKind;
import org.junit.jupiter.api.Test;

class SamplingConfigTest {

    private static ModelView model(ObjectiveKind objective) {
        ExperimentConfig c = ExperimentConfig.builder().dataset(DatasetKind.MOONS).datasetSize(1000)
                .objective(objective).timesteps(200).hidden(16).layers(2).steps(10).batchSize(32).build();
        return new Trainer(c).view(true);
    }

    @Test
    void everySamplerGivesUpAtTheNextStepOnceCancelled() {
        for (SamplerKind kind : SamplerKind.values()) {
            ModelView model = model(switch (kind) {
                case LANGEVIN -> ObjectiveKind.DSM;
                case EULER, HEUN -> ObjectiveKind.FLOW_MATCHING;
                case ANCESTRAL, DDIM, DPM_SOLVER_2M -> ObjectiveKind.DDPM_SIMPLE;
            });
            SamplingConfig sampling = SamplingConfig.builder().sampler(kind).sampleSteps(150).build();
            int[] asked = new int[1];
            Cancellation afterTen = () -> ++asked[0] > 10;
            assertThrows(CancelledException.class,
                    () -> sampling.sample(model, 50, new Rng(1), ChainRecording.ALL, afterTen), kind.id());
            assertEquals(11, asked[0], kind.id() + ": asked once a step, and no step after the answer");
        }
    }

    @Test
    void aRecordingKeepsOnlyTheStatesItNamesAndAlwaysTheSamples() {
        ModelView model = model(ObjectiveKind.DDPM_SIMPLE);
        SamplingConfig sampling = SamplingConfig.defaults();
        Chain whole = sampling.sample(model, 40, new Rng(3), ChainRecording.ALL, Cancellation.NEVER);
        Chain frames = sampling.sample(model, 40, new Rng(3), ChainRecording.at(0, 100), Cancellation.NEVER);
        assertArrayEquals(new int[] {200, 100, 0}, frames.steps());
        assertArrayEquals(whole.atStep(100), frames.atStep(100));
        assertArrayEquals(whole.last(), frames.last());

        Chain thinned = sampling.sample(model, 40, new Rng(3), ChainRecording.thinned(11), Cancellation.NEVER);
        assertEquals(11, thinned.states().length);
        assertArrayEquals(whole.trajectories(4, 11), thinned.trajectories(4, 11));
    }

    @Test
    void aFlowModelSamplesWithEulerUnlessToldHeunOrLangevin() {
        ObjectiveKind flow = ObjectiveKind.FLOW_MATCHING;
        assertEquals(SamplerKind.EULER, SamplingConfig.defaults().effectiveSampler(flow));
        for (SamplerKind kind : new SamplerKind[] {SamplerKind.HEUN, SamplerKind.LANGEVIN}) {
            assertEquals(kind, SamplingConfig.builder().sampler(kind).build().effectiveSampler(flow));
        }
        assertEquals(SamplerKind.ANCESTRAL, SamplingConfig.defaults().effectiveSampler(ObjectiveKind.DDPM_SIMPLE));
        assertEquals(SamplerKind.LANGEVIN, SamplingConfig.defaults().effectiveSampler(ObjectiveKind.DSM));
    }

    @Test
    void aSamplerTheModelCannotUseIsRefusedNamingTheSampler() {
        String[][] refused = {{"ancestral", "flow_matching"}, {"ddim", "flow_matching"},
                {"dpm_solver_2m", "flow_matching"}, {"euler", "ddpm_simple"},
                {"heun", "ddpm_vlb"}, {"euler", "dsm"}, {"heun", "ssm"}};
        for (String[] pair : refused) {
            SamplingConfig sampling = SamplingConfig.builder().sampler(SamplerKind.fromId(pair[0])).build();
            InvalidConfigException e = assertThrows(InvalidConfigException.class,
                    () -> sampling.effectiveSampler(ObjectiveKind.fromId(pair[1])), pair[0] + " for " + pair[1]);
            assertEquals("sampler", e.field());
            assertTrue(e.getMessage().contains(pair[0]) && e.getMessage().contains(pair[1]), e.getMessage());
        }
    }

    @Test
    void everySamplerReportsItsNetworkEvaluations() {
        int T = 200;
        SamplingConfig s = SamplingConfig.builder().sampleSteps(30).build();
        assertEquals(T, s.evaluations(ObjectiveKind.DDPM_SIMPLE, T));                                   // ancestral: T
        assertEquals(30, s.withSampler(SamplerKind.DDIM, 30).evaluations(ObjectiveKind.DDPM_SIMPLE, T)); // DDIM: S
        assertEquals(30, s.withSampler(SamplerKind.DPM_SOLVER_2M, 30).evaluations(ObjectiveKind.DDPM_VLB, T)); // DPM: S
        assertEquals(30, s.withSampler(SamplerKind.LANGEVIN, 30).evaluations(ObjectiveKind.DSM, T));     // Langevin: K
        assertEquals(30, s.evaluations(ObjectiveKind.FLOW_MATCHING, T));                                 // Euler: N
        assertEquals(59, s.withSampler(SamplerKind.HEUN, 30).evaluations(ObjectiveKind.FLOW_MATCHING, T)); // Heun: 2N - 1
    }

    @Test
    void theOdeSamplersCallTheModelAsOftenAsTheyReport() {
        int[] calls = new int[1];
        VelocityField counted = (x, t, n, v) -> calls[0]++;
        for (SamplerKind kind : new SamplerKind[] {SamplerKind.EULER, SamplerKind.HEUN}) {
            calls[0] = 0;
            float[] x1 = new float[8];
            if (kind == SamplerKind.EULER) {
                FlowSampler.euler(counted, x1, 7, 100, ChainRecording.LAST, Cancellation.NEVER);
            } else {
                FlowSampler.heun(counted, x1, 7, 100, ChainRecording.LAST, Cancellation.NEVER);
            }
            assertEquals(kind.evaluations(7), calls[0], kind.id());
        }
    }
}
