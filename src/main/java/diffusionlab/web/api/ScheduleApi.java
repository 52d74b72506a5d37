package diffusionlab.web.api;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.schedule.NoiseSchedule;
import diffusionlab.training.ConfigParser;
import io.javalin.http.Context;
import java.util.Set;

/**
 * {@code GET /api/schedule?schedule=sigmoid&timesteps=100&betaStart=1e-5&betaEnd=1e-2}: alphaBar_t of a
 * schedule as the form is edited, computed by the engine's own {@link NoiseSchedule} (one source of truth),
 * with whether x_T gets close to N(0, I). The fields are checked exactly as in a run config.
 */
public final class ScheduleApi {
    static final Set<String> PARAMETERS = Set.of("schedule", "timesteps", "betaStart", "betaEnd");
    static final int CURVE_POINTS = 200;

    /** alphaBar at up to 200 evenly spaced steps (t = 1 … T), alphaBar_T and the verdict. */
    record Schedule(String schedule, int timesteps, double alphaBarT, double signalStd, boolean reachesNoise,
                    int[] ts, double[] alphaBar, String message) {
    }

    public void alphaBar(Context ctx) {
        ExperimentConfig e = ConfigParser.parse(QueryParams.only(ctx, PARAMETERS)).experiment();
        NoiseSchedule schedule = NoiseSchedule.of(e.schedule(), e.timesteps(), e.betaStart(), e.betaEnd());
        int count = Math.min(CURVE_POINTS, e.timesteps());
        int[] ts = new int[count];
        double[] curve = new double[count];
        for (int i = 0; i < count; i++) {
            int index = count == 1 ? 0 : (int) Math.round((double) i * (e.timesteps() - 1) / (count - 1));
            ts[i] = index + 1;
            curve[i] = schedule.alphasBar[index];
        }
        double alphaBarT = schedule.alphaBarT();
        String message = schedule.reachesNoise()
                ? "x_T ≈ N(0, I): the reverse chain can start from pure noise"
                : String.format(java.util.Locale.ROOT, "x_T = %.2f x_0 + %.2f ε is not pure noise, but the reverse chain "
                        + "starts from N(0, I): raise β_T or T", Math.sqrt(alphaBarT), Math.sqrt(1 - alphaBarT));
        ctx.json(new Schedule(e.schedule().id(), e.timesteps(), alphaBarT, Math.sqrt(alphaBarT),
                schedule.reachesNoise(), ts, curve, message));
    }
}
