package diffusionlab.web.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import diffusionlab.engine.ExperimentConfig;
import diffusionlab.engine.objective.ForwardProcess;
import diffusionlab.engine.schedule.NoiseSchedule;
import diffusionlab.training.RunConfig;
import diffusionlab.training.RunEvent;
import diffusionlab.training.RunHistory;
import diffusionlab.training.RunSnapshot;
import diffusionlab.web.json.ConfigJson;
import diffusionlab.web.json.StatusView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a run's snapshot and events into {@link WireMessage}s, and those into JSON text. */
public final class WireFormat {
    private static final RunEvent.Visitor<WireMessage> EVENTS = new RunEvent.Visitor<>() {
        @Override
        public WireMessage status(RunEvent.StatusChanged e) {
            return new WireMessage.Status(StatusView.of(e.status()));
        }

        @Override
        public WireMessage loss(RunEvent.LossPoints e) {
            return new WireMessage.Loss(e.steps(), e.values(), e.atMillis() > 0 ? e.atMillis() : System.currentTimeMillis());
        }

        @Override
        public WireMessage metric(RunEvent.MetricPoint e) {
            return WireFormat.metric(new long[] {e.step()}, new double[] {e.value()});
        }

        @Override
        public WireMessage picture(RunEvent.Picture picture) {
            return WireFormat.picture(picture);
        }
    };

    private static final RunEvent.Picture.Visitor<WireMessage> PICTURES = new RunEvent.Picture.Visitor<>() {
        @Override
        public WireMessage data(RunEvent.Data d) {
            return new WireMessage.Data(CloudCodec.pack(d.cloud()));
        }

        @Override
        public WireMessage frames(RunEvent.Frames f) {
            return new WireMessage.Frames(f.kind().id(), f.trainingStep(), f.ts(), CloudCodec.packAll(f.clouds()));
        }

        @Override
        public WireMessage motion(RunEvent.Motion m) {
            return new WireMessage.Motion(m.trainingStep(), m.ts(), MotionCodec.pack(m.states()));
        }

        @Override
        public WireMessage field(RunEvent.Field f) {
            return new WireMessage.Field(f.trainingStep(), f.ts(), f.size(), f.min(), f.max(),
                    CloudCodec.packAll(f.vectors()));
        }

        @Override
        public WireMessage samples(RunEvent.Samples s) {
            return new WireMessage.Samples(s.trainingStep(), s.sampler(), CloudCodec.pack(s.cloud()),
                    CloudCodec.packAll(s.trajectories()));
        }

        @Override
        public WireMessage quality(RunEvent.Quality q) {
            return new WireMessage.Quality(q.trainingStep(), q.sampler(), q.points(), q.evaluations(),
                    finite(q.distances()), finite(q.straightness()));
        }
    };

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
        RunHistory h = s.history();
        Map<String, WireMessage> pictures = new LinkedHashMap<>();
        h.pictures().forEach((kind, picture) -> pictures.put(kind.id(), picture(picture)));
        return new WireMessage.Snapshot(StatusView.of(s.status()), ConfigJson.withoutPoints(s.config()), s.timesteps(),
                path(s.config().experiment()), new WireMessage.Loss(h.lossSteps(), h.lossValues(), null), metric(h.metricSteps(), h.metricValues()),
                pictures);
    }

    /**
     * A snapshot of no run yet (docs/PROTOCOL.md, "Before a run"): a config's pictures that need no model
     * ({@code PictureDrawer.beforeTraining}), its forward path, no status and empty curves.
     */
    public static WireMessage.Snapshot beforeTraining(RunConfig config, List<RunEvent.Picture> pictures) {
        Map<String, WireMessage> packed = new LinkedHashMap<>();
        pictures.forEach(p -> packed.put(p.kind().id(), picture(p)));
        return new WireMessage.Snapshot(null, ConfigJson.withoutPoints(config), config.experiment().timesteps(),
                path(config.experiment()), new WireMessage.Loss(new long[0], new float[0], null),
                metric(new long[0], new double[0]), packed);
    }

    /** x_t = signal[t] x_0 + noise[t] ε for t = 0 .. T, or null for a score model (it has no such path). */
    static ForwardProcess.Path path(ExperimentConfig ex) {
        if (ex.objective().isScoreModel()) {
            return null;
        }
        return ForwardProcess.Path.of(ex.objective(),
                NoiseSchedule.of(ex.schedule(), ex.timesteps(), ex.betaStart(), ex.betaEnd()));
    }

    public static WireMessage of(RunEvent event) {
        return event.accept(EVENTS);
    }

    public static WireMessage picture(RunEvent.Picture picture) {
        return picture.accept(PICTURES);
    }

    public static WireMessage.Metric metric(long[] steps, double[] values) {
        return new WireMessage.Metric(steps, finite(values));
    }

    /** JSON has no NaN or infinity: a value that is not finite is null. */
    private static Double[] finite(double[] values) {
        Double[] boxed = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = finite(values[i]);
        }
        return boxed;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
