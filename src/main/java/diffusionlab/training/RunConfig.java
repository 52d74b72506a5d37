package diffusionlab.training;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.sample.SamplingConfig;

/** A run as the user configures it: a name, the experiment, and how its samples are drawn. */
public record RunConfig(String name, String preset, ExperimentConfig experiment, SamplingConfig sampling) {
    public static final int MAX_NAME = 80;
}
