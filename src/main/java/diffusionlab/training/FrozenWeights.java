package diffusionlab.training;

import diffusionlab.engine.Trainer;
import diffusionlab.engine.nn.MlpShape;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.objective.Prediction;
import diffusionlab.engine.sample.ModelView;
import diffusionlab.engine.schedule.NoiseSchedule;

/**
 * A copy of a run's raw and EMA weights at one training step, for sampling on demand while the run goes on.
 * The arrays are never written after the copy; each {@link #view} is a fresh {@link ModelView} (a view
 * holds its own inference workspace, so concurrent callers each need one).
 */
public record FrozenWeights(long step, MlpShape shape, float[] raw, float[] ema, NoiseSchedule schedule,
                            ObjectiveKind objective, Prediction prediction) {

    static FrozenWeights of(Trainer trainer) {
        return new FrozenWeights(trainer.steps(), trainer.shape(), trainer.rawWeights().clone(),
                trainer.emaWeights().clone(), trainer.schedule(), trainer.config().objective(),
                trainer.config().prediction());
    }

    /** Weights read back from a stored checkpoint of a run with this config. */
    static FrozenWeights of(diffusionlab.engine.ExperimentConfig config, long step, float[] raw, float[] ema) {
        NoiseSchedule schedule = NoiseSchedule.of(config.schedule(), config.timesteps(), config.betaStart(),
                config.betaEnd());
        MlpShape shape = Trainer.modelShape(config, config.objective().create(schedule, config.prediction(),
                config.sigma()));
        return new FrozenWeights(step, shape, raw, ema, schedule, config.objective(), config.prediction());
    }

    public ModelView view(boolean useEma) {
        return new ModelView(shape, useEma ? ema : raw, schedule, objective, prediction);
    }
}
