package diffusionlab.web.pages;

import diffusionlab.engine.objective.ObjectiveKind;
import java.util.EnumMap;
import java.util.Map;

/**
 * One sentence per objective on why it behaves as it does in a comparison (from docs/MATH.md): the compare page's
 * results table shows it beside the objective's numbers. The only place these sentences live.
 */
public final class ObjectiveNotes {
    private static final Map<ObjectiveKind, String> WHY = new EnumMap<>(ObjectiveKind.class);

    static {
        WHY.put(ObjectiveKind.DDPM_SIMPLE, "Regresses the noise ε (or x₀, or v) with the same weight at every step "
                + "(Ho et al. eq. 14): a well-scaled target at every noise level, so it trains fastest of the diffusion "
                + "losses; v keeps the target's size equal at every t.");
        WHY.put(ObjectiveKind.DDPM_VLB, "Ho et al.'s bound learns each step's mean and variance (KL terms plus the "
                + "decoder's NLL, in bits): the steps near the data dominate its gradients, so it is noisier and slower "
                + "than the simple loss.");
        WHY.put(ObjectiveKind.VLB_SOHL, "Sohl-Dickstein's bound (T·KL plus entropies, in bits) also learns a mean and "
                + "a variance per step; one random step per point carries the whole T·KL term, so its gradients are "
                + "noisy: it learns slowest and its quality swings from one checkpoint to the next (MATH.md).");
        WHY.put(ObjectiveKind.DSM, "Learns the score of the data blurred by one noise level σ (Vincent 2011): right "
                + "near the data, vague far from it where N(0, I) starts, so Langevin's first iterations wander and the "
                + "samples keep a blur of σ.");
        WHY.put(ObjectiveKind.SSM, "Learns the score of the data itself through random projections (Song et al. 2019): "
                + "no noise level, a loss that goes below 0, and a score barely constrained far from the data, so "
                + "Langevin chains from N(0, I) arrive slowly.");
        WHY.put(ObjectiveKind.FLOW_MATCHING, "Regresses the constant velocity ε − x₀ of the straight path from data to "
                + "noise (Lipman et al. 2023): its ODE is nearly straight, so a few Euler or Heun steps already land "
                + "close to the data.");
    }

    private ObjectiveNotes() {
    }

    /** Why an objective behaves as it does, in one sentence. */
    public static String why(ObjectiveKind objective) {
        return WHY.get(objective);
    }
}
