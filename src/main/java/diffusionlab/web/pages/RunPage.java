package diffusionlab.web.pages;

import java.util.List;

/**
 * {@code /runs/{id}}: what the dashboard needs before its live socket connects. {@code owner} shows the
 * controls, to the browser that started the run or to the teacher ({@code asTeacher}: the teacher on a run another
 * browser started); {@code projector} is the layout for a projector (1280x720: the loss, the three pictures and the
 * samples on one screen, large labels, no form and no controls); {@code scoreModel} chooses the sampler panel and the captions; {@code emaWeights} is the run's own
 * choice of weights for sampling. {@code createdAt}, {@code finishedAt} (0 while the run has not ended) and
 * {@code serverNow} are the server's clock in milliseconds, for the run's wall time; {@code qualityFloor} is the
 * sample-quality metric between two fresh draws of the run's data set: what a perfect model would score.
 * {@code flowModel} offers "Reflow: straighten this flow" once the run is done; {@code reflowOf} is the run this one
 * reflows (null for none) and {@code reflows} the runs that reflow this one.
 */
public record RunPage(String id, String name, String objective, String dataset, String state, boolean owner,
                      boolean asTeacher, boolean projector, boolean scoreModel, int timesteps, int sampleSteps, boolean emaWeights, List<ConfigLine> config,
                      long createdAt, long finishedAt, long serverNow, double qualityFloor, boolean flowModel,
                      RunLink reflowOf, List<RunLink> reflows) {

    /** A link to another run: its id and its name (user text). */
    public record RunLink(String id, String name) {
    }

    /** The value of {@code ?view=} that asks for the projector layout. */
    public static final String PROJECTOR = "projector";

    /** One row of the config summary. */
    public record ConfigLine(String name, String value) {
    }
}
