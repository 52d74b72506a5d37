package diffusionlab.engine.objective;

import diffusionlab.engine.Rng;
import diffusionlab.engine.schedule.NoiseSchedule;

/**
 * What the diffusion losses share: a conditional model, antithetic time steps, and x_t drawn from
 * q(x_t | x_0) in closed form. Subclasses only score the outputs.
 */
abstract class DiffusionObjective implements Objective {
    protected final NoiseSchedule schedule;

    DiffusionObjective(NoiseSchedule schedule) {
        this.schedule = schedule;
    }

    @Override
    public final boolean conditional() {
        return true;
    }

    @Override
    public final void prepare(Batch batch, Rng rng) {
        TimestepSampler.antithetic(batch.t, batch.rows, schedule.timesteps, rng);
        ForwardProcess.qSample(schedule, batch, rng);
    }
}
