package diffusionlab.training;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.nn.LrSchedule;
import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.engine.objective.Prediction;
import diffusionlab.engine.sample.SamplerKind;
import diffusionlab.engine.sample.SamplingConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named starting points for a run: the app's defaults, the notebook's three experiments exactly, and one
 * preset per other objective (on the app's defaults). Fields given next to a preset override it.
 */
public final class Presets {
    /**
     * A preset: its label for the form, the experiment and the sampler, and whether a run of it needs a parent
     * run ({@code reflowFrom}: the form offers the finished flows, the API refuses it without one).
     */
    public record Preset(String id, String label, String description, ExperimentConfig experiment,
                         SamplingConfig sampling, boolean needsParent) {
    }

    /** The peak step size of the presets that anneal it ({@link LrSchedule#COSINE}). */
    public static final double SOONER_LR = 8e-3;

    /** The preset that needs a parent: a reflow of a finished flow ({@code reflowFrom}); a reflow's own preset. */
    public static final String REFLOW = "reflow";

    private static final Map<String, Preset> ALL = new LinkedHashMap<>();

    static {
        ExperimentConfig d = ExperimentConfig.defaults();
        // the regression losses learn twice as fast with a larger step that anneals to the end of the run, and end as
        // good (BENCHMARKS.md, "A good picture sooner"): the app's default, v and flow matching train so
        ExperimentConfig sooner = d.toBuilder().lr(SOONER_LR).lrSchedule(LrSchedule.COSINE).build();
        SamplingConfig s = SamplingConfig.defaults();
        SamplingConfig langevin = s.withSampler(SamplerKind.LANGEVIN, SamplingConfig.LANGEVIN_STEPS);
        add("default", "App default: DDPM noise loss, schedule that reaches noise",
                "ddpm_simple on the swiss roll with a sigmoid schedule ending at ᾱ_T ≈ 0.0054, EMA 0.999, and a step "
                        + "size of 8e-3 that anneals to the run's end",
                sooner, s);
        // the notebook keeps an EMA but never samples from it (its ema_copy crashes), so these sample raw weights
        add("notebook", "Notebook: DDPM (noise loss + EMA)",
                "The notebook's last cell exactly: sigmoid 1e-5..1e-2, T = 100, batch 128, 79,000 steps, EMA 0.9 "
                        + "(kept, but samples use the raw weights, as in the notebook)",
                ExperimentConfig.notebook(ObjectiveKind.DDPM_SIMPLE), s.withEma(false));
        add("notebook_score", "Notebook: score matching + Langevin",
                "Denoising score matching at sigma = 0.01 on the full 10,000 points, then Langevin dynamics",
                ExperimentConfig.notebook(ObjectiveKind.DSM), langevin.withEma(false));
        add("notebook_vlb", "Notebook: variational bound (Sohl-Dickstein)",
                "Mean and log-variance model trained on Sohl-Dickstein's bound, in bits, for the notebook's "
                        + "5,001 epochs (395,079 steps)",
                ExperimentConfig.notebook(ObjectiveKind.VLB_SOHL), s.withEma(false));
        add("ssm", "Sliced score matching + Langevin",
                "The score MLP trained with Jacobian-vector products; samples by Langevin dynamics",
                scoreModel(d, ObjectiveKind.SSM), langevin);
        add("dsm", "Denoising score matching + Langevin (sigma 0.1)",
                "One noise level large enough to make the score useful away from the data",
                scoreModel(d, ObjectiveKind.DSM), langevin);
        // the bound presets train at lr 1e-3: at the default 2e-3, ddpm_vlb's samples blew up (sliced W. 33)
        add("ddpm_vlb", "DDPM variational bound (KL terms + decoder)",
                "Mean and log-variance model trained on DDPM's sum of Gaussian KLs",
                d.toBuilder().objective(ObjectiveKind.DDPM_VLB).lr(1e-3).build(), s);
        add("vlb_sohl", "Sohl-Dickstein bound on the app's schedule",
                "Sohl-Dickstein's bound with a schedule that reaches noise",
                d.toBuilder().objective(ObjectiveKind.VLB_SOHL).lr(1e-3).build(), s);
        add("ddpm_x0", "DDPM predicting x0",
                "The simple loss on x0 instead of epsilon",
                d.toBuilder().prediction(Prediction.X0).build(), s);
        add("ddpm_v", "DDPM predicting v",
                "The simple loss on v = sqrt(alphaBar) eps - sqrt(1 - alphaBar) x0 (Salimans & Ho 2022)",
                sooner.toBuilder().prediction(Prediction.V).build(), s);
        add("flow_matching", "Flow matching (rectified path)",
                "The velocity eps - x0 of the straight path x_t = (1 - t) x0 + t eps (Lipman et al. 2023, Liu et al. "
                        + "2023), t in T = 100 bins; samples by Euler's method on dx/dt = v(x, t) in 100 steps",
                sooner.toBuilder().objective(ObjectiveKind.FLOW_MATCHING).build(),
                s.toBuilder().sampleSteps(SamplingConfig.EULER_STEPS).build());
        ALL.put(REFLOW, new Preset(REFLOW, "Reflow: straighten a flow",
                "Flow matching on the (noise, sample) pairs of a finished flow_matching run's ODE (Liu et al. 2023): "
                        + "pick the flow under Training; watch the paths straighten and one Euler step improve",
                sooner.toBuilder().objective(ObjectiveKind.FLOW_MATCHING).build(),
                s.toBuilder().sampleSteps(SamplingConfig.EULER_STEPS).build(), true));
    }


    private Presets() {
    }

    /** A score model on the app's defaults: two plain layers, 5,000 steps of 1,000 points. */
    private static ExperimentConfig scoreModel(ExperimentConfig d, ObjectiveKind objective) {
        return d.toBuilder().objective(objective).layers(2).steps(5_000).batchSize(1_000).build();
    }

    private static void add(String id, String label, String description, ExperimentConfig e, SamplingConfig s) {
        ALL.put(id, new Preset(id, label, description, e, s, false));
    }

    /** Every preset in the form's order (read-only). */
    public static Map<String, Preset> all() {
        return java.util.Collections.unmodifiableMap(ALL);
    }

    public static Preset get(String id) {
        return ALL.get(id);
    }

    /** The preset that compares loss variants: one run per objective on the same data and seed. */
    public static final String[] LOSS_VARIANTS = {"default", "ddpm_v", "ddpm_vlb", "vlb_sohl", "dsm", "ssm",
            "flow_matching"};
}
