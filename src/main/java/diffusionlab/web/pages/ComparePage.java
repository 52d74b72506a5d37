package diffusionlab.web.pages;

import diffusionlab.training.Presets;
import java.util.List;

/**
 * {@code /compare?runs=a,b,c}: runs side by side. The start page lets one pick up to four; the loss-variant
 * comparison opens one column per objective of {@link Presets#LOSS_VARIANTS}, so that many are accepted.
 */
public record ComparePage(List<Column> runs) {
    public static final int MAX_RUNS = Math.max(4, Presets.LOSS_VARIANTS.length);

    /** One run's column. */
    public record Column(String id, String name, String objective, String dataset, boolean scoreModel) {
    }
}
