package diffusionlab.web.pages;

import java.util.List;

/**
 * {@code /runs/{id}}: what the dashboard needs before its live socket connects. {@code owner} shows the
 * controls; {@code scoreModel} chooses the sampler panel and the captions; {@code emaWeights} is the run's own
 * choice of weights for sampling.
 */
public record RunPage(String id, String name, String objective, String dataset, String state, boolean owner,
                      boolean scoreModel, int timesteps, int sampleSteps, boolean emaWeights, List<ConfigLine> config) {

    /** One row of the config summary. */
    public record ConfigLine(String name, String value) {
    }
}
