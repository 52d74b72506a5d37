package diffusionlab.engine.metric;

import diffusionlab.engine.sample.Chain;

/**
 * How straight a sampler's paths are: the mean squared deviation of each particle's path from its chord, the
 * segment from where it starts (the noise) to where it ends (its sample), each state compared with the chord's
 * point at the same share of the chain's time,
 * S = E_particles[ mean over states i of ‖x_i − ((1 − s_i) x_start + s_i x_end)‖² ],
 * s_i = |label_i − label_start| / |label_end − label_start| (t from T to 0 for the diffusion and flow chains,
 * k from 0 to K for Langevin). S = 0 exactly when every particle moves along a straight line at constant speed in
 * the chain's own time: then one Euler step from the noise lands on the sample (Liu et al. 2023, rectified flow's
 * straightness ∫ ‖v(x_t, t) − (x₁ − x₀)‖² dt is likewise 0 exactly then).
 */
public final class Straightness {
    private Straightness() {
    }

    /** S of a chain whose kept states carry their labels (any recording that keeps the first and last states). */
    public static double chordDeviation(Chain chain) {
        float[][] states = chain.states();
        int[] labels = chain.steps();
        int last = states.length - 1;
        double span = Math.abs(labels[last] - labels[0]);
        if (last < 1 || span == 0) {
            return 0;
        }
        float[] start = states[0];
        float[] end = states[last];
        double sum = 0;
        long count = 0;
        for (int i = 0; i < states.length; i++) {
            double s = Math.abs(labels[i] - labels[0]) / span;
            float[] x = states[i];
            for (int k = 0; k < x.length; k += 2) {
                double dx = x[k] - ((1 - s) * start[k] + s * end[k]);
                double dy = x[k + 1] - ((1 - s) * start[k + 1] + s * end[k + 1]);
                double d = dx * dx + dy * dy;
                if (Double.isFinite(d)) {
                    sum += d;
                    count++;
                }
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
