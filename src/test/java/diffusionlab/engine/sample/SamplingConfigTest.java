package diffusionlab.engine.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import diffusionlab.engine.Cancellation;
import diffusionlab.engine.CancelledException;
import diffusionlab.engine.ExperimentConfig;
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
            ModelView model = model(kind == SamplerKind.LANGEVIN ? ObjectiveKind.DSM : ObjectiveKind.DDPM_SIMPLE);
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
}
