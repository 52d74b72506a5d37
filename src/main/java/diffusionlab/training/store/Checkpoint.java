package diffusionlab.training.store;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.Trainer;
import diffusionlab.engine.objective.Objective;
import diffusionlab.engine.sample.ModelView;
import diffusionlab.engine.schedule.NoiseSchedule;

/**
 * Everything a run needs to go on training from {@code step}: the raw and EMA weights and Adam's two moments,
 * each a flat vector in {@link diffusionlab.engine.nn.ParamLayout} order. The arrays are copies, never
 * written after construction.
 */
public record Checkpoint(long step, float[] raw, float[] ema, float[] adamM, float[] adamV) {

    public Checkpoint {
        int n = raw.length;
        if (ema.length != n || adamM.length != n || adamV.length != n) {
            throw new IllegalArgumentException("checkpoint arrays differ in length: " + n + ", " + ema.length
                    + ", " + adamM.length + ", " + adamV.length);
        }
    }

    /** A copy of the trainer's state (about 4 x 4 bytes per parameter, a plain array copy). */
    public static Checkpoint of(Trainer trainer) {
        return new Checkpoint(trainer.steps(), trainer.rawWeights().clone(), trainer.emaWeights().clone(),
                trainer.optimizer().firstMoment().clone(), trainer.optimizer().secondMoment().clone());
    }

    /** Puts this state into a trainer built from the same config; a mismatched model is an error. */
    public void restoreInto(Trainer trainer) {
        int expected = trainer.rawWeights().length;
        if (raw.length != expected) {
            throw new IllegalStateException("the stored checkpoint holds " + raw.length + " parameters, the run's model "
                    + expected);
        }
        trainer.restore(raw, ema, adamM, adamV, step);
    }

    /** A sampling view of a run's model with the given weights (raw or EMA) from a checkpoint. */
    public static ModelView modelView(ExperimentConfig config, float[] weights) {
        NoiseSchedule schedule = NoiseSchedule.of(config.schedule(), config.timesteps(), config.betaStart(),
                config.betaEnd());
        Objective objective = config.objective().create(schedule, config.prediction(), config.sigma());
        return new ModelView(Trainer.modelShape(config, objective), weights.clone(), schedule, config.objective(),
                config.prediction());
    }
}
