package diffusionlab.web.pages;

import diffusionlab.training.Presets;
import java.util.List;

/**
 * {@code /compare?runs=a,b,c}: runs side by side. The start page lets one pick up to four; the loss-variant
 * comparison opens one column per objective of {@link Presets#LOSS_VARIANTS}, so that many are accepted. The page
 * leads with a results table (one row per run, filled in live by static/js/compare.js) and the quality floor of
 * each data set as a reference row. {@code serverNow} is the server's clock, for the wall time of runs still training.
 */
public record ComparePage(List<Column> runs, List<Floor> floors, long serverNow) {
    public static final int MAX_RUNS = Math.max(4, Presets.LOSS_VARIANTS.length);

    /**
     * One run's column and its row of the results table: {@code objective} the objective's id, {@code label} it
     * with the prediction when that is not ε (e.g. "ddpm_simple (v)") or "(reflow)" for a reflow, {@code why} its
     * sentence from
     * {@link ObjectiveNotes}, {@code createdAt} the server's clock when the run was created.
     */
    public record Column(String id, String name, String objective, String label, String dataset, boolean scoreModel,
                         String why, long createdAt) {
    }

    /**
     * The distance between two fresh draws of a data set (the best any model can do), measured as the runs measure
     * their samples.
     */
    public record Floor(String dataset, double distance) {
    }
}
