package diffusionlab.web.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import diffusionlab.training.RunEvent;
import diffusionlab.training.RunSnapshot;
import diffusionlab.web.json.ConfigJson;
import diffusionlab.web.json.StatusView;

/** Turns a run's snapshot and events into {@link WireMessage}s, and those into JSON text. */
public final class WireFormat {
    private final ObjectWriter writer;

    public WireFormat(ObjectMapper mapper) {
        this.writer = mapper.writerFor(WireMessage.class);
    }

    public String encode(WireMessage message) {
        try {
            return writer.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a wire message always serialises", e);
        }
    }

    public static WireMessage.Snapshot snapshot(RunSnapshot s) {
        return new WireMessage.Snapshot(StatusView.of(s.status()), ConfigJson.withoutPoints(s.config()), s.timesteps(),
                new WireMessage.Loss(s.lossSteps(), s.lossValues(), null), metric(s.metricSteps(), s.metricValues()),
                s.data() == null ? null : CloudCodec.pack(s.data()),
                s.forward() == null ? null : frames(s.forward()),
                s.reverse() == null ? null : frames(s.reverse()),
                s.field() == null ? null : field(s.field()),
                s.samples() == null ? null : samples(s.samples()));
    }

    public static WireMessage of(RunEvent event) {
        if (event instanceof RunEvent.StatusChanged e) {
            return new WireMessage.Status(StatusView.of(e.status()));
        } else if (event instanceof RunEvent.LossPoints e) {
            return new WireMessage.Loss(e.steps(), e.values(), System.currentTimeMillis());
        } else if (event instanceof RunEvent.MetricPoint e) {
            return metric(new long[] {e.step()}, new double[] {e.value()});
        } else if (event instanceof RunEvent.Frames e) {
            return frames(e);
        } else if (event instanceof RunEvent.Field e) {
            return field(e);
        } else if (event instanceof RunEvent.Samples e) {
            return samples(e);
        }
        throw new IllegalArgumentException("unknown event " + event.getClass().getSimpleName());
    }

    public static WireMessage.Metric metric(long[] steps, double[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = Double.isFinite(values[i]) ? values[i] : null;
        }
        return new WireMessage.Metric(steps, boxed);
    }

    static WireMessage.Frames frames(RunEvent.Frames f) {
        return new WireMessage.Frames(f.kind(), f.trainingStep(), f.ts(), CloudCodec.packAll(f.clouds()));
    }

    static WireMessage.Field field(RunEvent.Field f) {
        return new WireMessage.Field(f.trainingStep(), f.ts(), f.size(), f.min(), f.max(),
                CloudCodec.packAll(f.vectors()));
    }

    static WireMessage.Samples samples(RunEvent.Samples s) {
        return new WireMessage.Samples(s.trainingStep(), s.sampler(), CloudCodec.pack(s.cloud()),
                CloudCodec.packAll(s.trajectories()));
    }
}
