package diffusionlab.training;

import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.sample.SamplingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inverse of {@link ConfigParser}: a run config as the flat camelCase map that clients send, so a
 * downloaded config JSON can be uploaded again and stored runs can be read back.
 */
public final class ConfigWriter {
    private ConfigWriter() {
    }

    public static Map<String, Object> toMap(RunConfig config) {
        ExperimentConfig e = config.experiment();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", config.name());
        m.put("preset", config.preset());
        m.put("dataset", e.dataset().id());
        m.put("datasetSize", e.datasetSize());
        if (e.datasetNoise() != null) {
            m.put("datasetNoise", e.datasetNoise());
        }
        if (e.points() != null) {
            List<List<Float>> pairs = new ArrayList<>(e.points().length / 2);
            for (int i = 0; i + 1 < e.points().length; i += 2) {
                pairs.add(List.of(e.points()[i], e.points()[i + 1]));
            }
            m.put("points", pairs);
        }
        m.put("objective", e.objective().id());
        m.put("prediction", e.prediction().id());
        m.put("schedule", e.schedule().id());
        m.put("timesteps", e.timesteps());
        m.put("betaStart", e.betaStart());
        m.put("betaEnd", e.betaEnd());
        m.put("hidden", e.hidden());
        m.put("layers", e.layers());
        m.put("steps", e.steps());
        m.put("batchSize", e.batchSize());
        m.put("lr", e.lr());
        m.put("gradClip", e.gradClip());
        m.put("emaDecay", e.emaDecay());
        m.put("sigma", e.sigma());
        m.put("seed", e.seed());
        m.putAll(sampling(config.sampling()));
        return m;
    }

    /** The sampling fields alone. */
    public static Map<String, Object> sampling(SamplingConfig s) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (s.sampler() != null) {
            m.put("sampler", s.sampler().id());
        }
        m.put("sampleSteps", s.sampleSteps());
        m.put("eta", s.eta());
        m.put("spacing", s.spacing().id());
        m.put("variance", s.variance().id());
        m.put("langevinStepSize", s.langevinStepSize());
        m.put("langevinDecay", s.langevinDecay());
        m.put("temperature", s.temperature());
        m.put("weights", s.ema() ? "ema" : "raw");
        return m;
    }
}
