package diffusionlab.engine.sample;

import diffusionlab.engine.objective.ObjectiveKind;
import java.util.Locale;

/** The samplers by their contract names: ancestral, ddim, dpm_solver_2m, langevin, euler, heun. */
public enum SamplerKind {
    ANCESTRAL, DDIM, DPM_SOLVER_2M, LANGEVIN, EULER, HEUN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SamplerKind fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /**
     * Whether a run of this objective may ask for this sampler: Euler and Heun integrate a velocity, which only flow
     * models give; ancestral, DDIM and DPM-Solver++ step along the noise schedule with eps_theta, which flow models do
     * not give (a score model asked for them runs Langevin); Langevin needs only a score, which every model gives.
     */
    public boolean acceptedBy(ObjectiveKind objective) {
        return switch (this) {
            case ANCESTRAL, DDIM, DPM_SOLVER_2M -> !objective.isFlowModel();
            case EULER, HEUN -> objective.isFlowModel();
            case LANGEVIN -> true;
        };
    }

    /**
     * Network evaluations (NFE) of a chain of {@code chainSteps} steps: one per step (the ancestral chain's T,
     * DDIM's and DPM-Solver++(2M)'s S, Langevin's K, Euler's N), except Heun's two per step but the last, 2N − 1.
     */
    public int evaluations(int chainSteps) {
        return switch (this) {
            case ANCESTRAL, DDIM, DPM_SOLVER_2M, LANGEVIN, EULER -> chainSteps;
            case HEUN -> 2 * chainSteps - 1; // FlowSampler: the last step is Euler's
        };
    }
}
