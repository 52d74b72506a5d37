package diffusionlab.engine.objective;

/**
 * Training pairs for reflow (Liu et al. 2023, "Flow Straight and Fast", eq. 4): point i of {@code x0} is where the
 * parent flow's ODE carries noise point i of {@code noise}, both [n, 2]. Flow matching on these pairs, instead of
 * on independent data and noise, learns a flow whose paths are straighter (fewer crossings to average over).
 */
public record Coupling(float[] x0, float[] noise) {
    public Coupling {
        if (x0.length != noise.length || x0.length < 2 || x0.length % 2 != 0) {
            throw new IllegalArgumentException("a coupling pairs [n, 2] points with [n, 2] noise, got "
                    + x0.length + " and " + noise.length + " numbers");
        }
    }

    public int points() {
        return x0.length / 2;
    }
}
