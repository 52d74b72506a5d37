package diffusionlab.web;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.sample.SamplingConfig;
import diffusionlab.training.RunConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run config as the API's JSON (camelCase, DESIGN.md): the same fields {@code POST /api/runs} accepts,
 * so a downloaded config starts the same run again.
 */
public final class ConfigJson {
    private ConfigJson() {
    }

    /** Every field, including the user's points. */
    public static Map<String, Object> of(RunConfig config) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", config.name());
        json.put("preset", config.preset());
        json.putAll(experiment(config.experiment(), true));
        json.putAll(sampling(config.sampling()));
        return json;
    }

    /** Every field but the points (a viewer gets those as a packed cloud). */
    public static Map<String, Object> withoutPoints(RunConfig config) {
        Map<String, Object> json = of(config);
        json.remove("points");
        return json;
    }

    public static Map<String, Object> experiment(ExperimentConfig e, boolean withPoints) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataset", e.dataset().id());
        json.put("datasetSize", e.datasetSize());
        if (e.datasetNoise() != null) {
            json.put("datasetNoise", e.datasetNoise());
        }
        if (withPoints && e.points() != null) {
            json.put("points", pairs(e.points()));
        }
        json.put("objective", e.objective().id());
        json.put("prediction", e.prediction().id());
        json.put("schedule", e.schedule().id());
        json.put("timesteps", e.timesteps());
        json.put("betaStart", e.betaStart());
        json.put("betaEnd", e.betaEnd());
        json.put("hidden", e.hidden());
        json.put("layers", e.layers());
        json.put("steps", e.steps());
        json.put("batchSize", e.batchSize());
        json.put("lr", e.lr());
        json.put("gradClip", e.gradClip());
        json.put("emaDecay", e.emaDecay());
        json.put("sigma", e.sigma());
        json.put("seed", e.seed());
        return json;
    }

    public static Map<String, Object> sampling(SamplingConfig s) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (s.sampler() != null) {
            json.put("sampler", s.sampler().id());
        }
        json.put("sampleSteps", s.sampleSteps());
        json.put("eta", s.eta());
        json.put("spacing", s.spacing().id());
        json.put("variance", s.variance().id());
        json.put("langevinStepSize", s.langevinStepSize());
        json.put("langevinDecay", s.langevinDecay());
        json.put("temperature", s.temperature());
        json.put("weights", s.ema() ? "ema" : "raw");
        return json;
    }

    private static List<float[]> pairs(float[] xy) {
        List<float[]> pairs = new ArrayList<>(xy.length / 2);
        for (int i = 0; i + 1 < xy.length; i += 2) {
            pairs.add(new float[] {xy[i], xy[i + 1]});
        }
        return pairs;
    }
}
