package diffusionlab.web.wire;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import diffusionlab.engine.objective.ForwardProcess;
import diffusionlab.web.json.StatusView;
import java.util.Map;

/**
 * The messages of the live socket {@code /runs/{id}/live}, one JSON text frame each, told apart by
 * {@code type}. docs/PROTOCOL.md describes them for the browser side.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(WireMessage.Snapshot.class), @JsonSubTypes.Type(WireMessage.Status.class),
        @JsonSubTypes.Type(WireMessage.Loss.class), @JsonSubTypes.Type(WireMessage.Metric.class),
        @JsonSubTypes.Type(WireMessage.Frames.class), @JsonSubTypes.Type(WireMessage.Motion.class),
        @JsonSubTypes.Type(WireMessage.Field.class),
        @JsonSubTypes.Type(WireMessage.Samples.class), @JsonSubTypes.Type(WireMessage.Data.class),
        @JsonSubTypes.Type(WireMessage.Quality.class)})
public sealed interface WireMessage {

    /**
     * The first message: everything a late viewer needs. Each picture drawn so far is a field named by its kind
     * ({@code data}, {@code forward}, {@code reverse}, {@code motion}, {@code field}, {@code samples}, {@code quality})
     * holding the same message
     * that kind is sent as later; a picture not drawn yet is absent. {@code path} is the forward process as
     * x_t = signal[t] x_0 + noise[t] ε for t = 0 (the data) .. T, null for a score model.
     */
    @JsonTypeName("snapshot")
    @JsonPropertyOrder({"type", "status", "config", "timesteps", "path", "loss", "metric"})
    record Snapshot(StatusView status, Map<String, Object> config, int timesteps, ForwardProcess.Path path, Loss loss,
                    Metric metric,
                    @JsonIgnore Map<String, WireMessage> pictures) implements WireMessage {
        @JsonAnyGetter
        public Map<String, WireMessage> pictures() {
            return pictures;
        }
    }

    /** The training sample drawn behind every picture. */
    @JsonTypeName("data")
    record Data(PackedCloud cloud) implements WireMessage {
    }

    /** State, step, speed, time left or queue position changed (the latest only). */
    @JsonTypeName("status")
    record Status(StatusView status) implements WireMessage {
    }

    /**
     * New points of the loss curve, in increasing steps; consecutive batches are merged for a slow viewer.
     * {@code at} is the server's wall clock (epoch ms) when the run published the newest of these points, right
     * after its step; null in the snapshot's history.
     */
    @JsonTypeName("loss")
    record Loss(long[] steps, float[] values, Long at) implements WireMessage {
    }

    /** New values of the sample-quality metric (sliced Wasserstein distance; null when not finite). */
    @JsonTypeName("metric")
    record Metric(long[] steps, Double[] values) implements WireMessage {
    }

    /** Point clouds at the dashboard's 10 time steps: kind "forward" is q(x_t | x_0), "reverse" the chain. */
    @JsonTypeName("frames")
    record Frames(String kind, long trainingStep, int[] ts, PackedCloud[] clouds) implements WireMessage {
    }

    /** A few particles of the reverse chain through its states, at steps ts (chain order, noise first). */
    @JsonTypeName("motion")
    record Motion(long trainingStep, int[] ts, PackedMotion particles) implements WireMessage {
    }

    /** The learned score on a size x size grid over [min, max]^2 (row-major, y outer) at each of ts. */
    @JsonTypeName("field")
    record Field(long trainingStep, int[] ts, int size, double min, double max, PackedCloud[] vectors)
            implements WireMessage {
    }

    /** Samples of the current model, and for score models a few Langevin trajectories. */
    @JsonTypeName("samples")
    record Samples(long trainingStep, String sampler, PackedCloud cloud, PackedCloud[] trajectories)
            implements WireMessage {
    }

    /**
     * Sample quality against sampling steps: the distance to held-out data of {@code points} samples of the run's
     * deterministic {@code sampler} at each number of network evaluations (the last is the full chain), null when
     * not finite, and the straightness of the full chain's paths.
     */
    @JsonTypeName("quality")
    record Quality(long trainingStep, String sampler, int points, int[] evaluations, Double[] distances,
                   Double straightness) implements WireMessage {
    }
}
