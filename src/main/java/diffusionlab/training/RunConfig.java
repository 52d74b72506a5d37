package diffusionlab.training;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.sample.SamplingConfig;

/**
 * A run as the user configures it: a name, the experiment, and how its samples are drawn; {@code reflowFrom} is the
 * id of the finished flow_matching run whose (noise, sample) pairs it trains on (reflow), or null.
 */
public record RunConfig(String name, String preset, ExperimentConfig experiment, SamplingConfig sampling,
                        String reflowFrom) {
    public static final int MAX_NAME = 80;

    public RunConfig(String name, String preset, ExperimentConfig experiment, SamplingConfig sampling) {
        this(name, preset, experiment, sampling, null);
    }
}
