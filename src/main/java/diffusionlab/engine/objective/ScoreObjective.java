package diffusionlab.engine.objective;

/** The objectives of a score model s_theta(x) ~ grad log p(x): two outputs, no timestep input. */
abstract class ScoreObjective implements Objective {
    @Override
    public final int outputDim() {
        return 2;
    }

    @Override
    public final boolean conditional() {
        return false;
    }
}
