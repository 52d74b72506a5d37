package diffusionlab.engine.objective;

import diffusionlab.engine.schedule.NoiseSchedule;
import java.util.Locale;

/**
 * The objectives by their API names (docs/MATH.md, Objectives): dsm, ssm, vlb_sohl, ddpm_vlb, ddpm_simple,
 * flow_matching.
 */
public enum ObjectiveKind {
    DSM, SSM, VLB_SOHL, DDPM_VLB, DDPM_SIMPLE, FLOW_MATCHING;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ObjectiveKind fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** Score models (dsm, ssm) learn grad log p directly and sample with Langevin dynamics. */
    public boolean isScoreModel() {
        return this == DSM || this == SSM;
    }

    /** Flow models (flow_matching) learn a velocity v(x, t), t in [0, 1], and sample by integrating its ODE. */
    public boolean isFlowModel() {
        return this == FLOW_MATCHING;
    }

    /** Diffusion models give a noise estimate eps_theta(x_t, t) on the noise schedule (ancestral and DDIM need it). */
    public boolean isDiffusionModel() {
        return !isScoreModel() && !isFlowModel();
    }

    /** Models that output a mean and a log-variance for p_theta(x_{t-1} | x_t). */
    public boolean predictsMeanAndVariance() {
        return this == VLB_SOHL || this == DDPM_VLB;
    }

    public Objective create(NoiseSchedule schedule, Prediction prediction, double sigma) {
        return switch (this) {
            case DSM -> new DenoisingScoreMatching(sigma);
            case SSM -> new SlicedScoreMatching();
            case VLB_SOHL -> new SohlDicksteinBound(schedule);
            case DDPM_VLB -> new DdpmVariationalBound(schedule);
            case DDPM_SIMPLE -> new DdpmSimple(schedule, prediction);
            case FLOW_MATCHING -> new FlowMatching(schedule.timesteps);
        };
    }
}
