package diffusionlab.training.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import diffusionlab.training.PictureKind;
import diffusionlab.training.RunState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one process tells the others through PostgreSQL's NOTIFY (web and worker roles, docs/SCALING.md): a run's
 * status, its new loss and metric points inline, and which of its pictures changed (by reference: the picture
 * is the run's row of {@code dl_frames}, which each web instance reads once). A notice is compact JSON of at
 * most {@value #MAX_BYTES} bytes (PostgreSQL refuses payloads of 8,000 bytes or more); {@link #split} cuts a
 * long batch of points into notices that fit. {@code atMillis} is when the worker published the newest loss point
 * (its wall clock; 0 when the notice has none), which viewers get as the loss message's {@code at}.
 */
public record LiveNotice(String runId, Status status, long[] lossSteps, float[] lossValues, long[] metricSteps,
                         double[] metricValues, Map<PictureKind, Long> pictures, long atMillis) {
    /** Each run's status, curve points and changed pictures. */
    public static final String LIVE = "dl_live";
    /** Runs created or deleted, and controls for the worker that trains a run. */
    public static final String RUNS = "dl_runs";
    /** Kept under PostgreSQL's limit of 8,000 bytes with room to spare. */
    public static final int MAX_BYTES = 7_500;
    /** Loss points per notice: 100 points of steps past 10^9 are 2,437 bytes (LiveNoticeTest prints it). */
    static final int MAX_POINTS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A run's state, step, speed, error and skipped updates as its worker last published them. */
    public record Status(RunState state, long step, double stepsPerSecond, String error, long skippedUpdates) {
    }

    /** A run created, deleted, or a control asked of its worker (PAUSE, RESUME, STOP). */
    public record RunChange(String kind, String runId) {
        public static final String CREATED = "created";
        public static final String DELETED = "deleted";
        public static final String CONTROL = "control";

        public String json() {
            return "{\"" + kind + "\":\"" + runId + "\"}";
        }

        public static RunChange parse(String payload) {
            try {
                JsonNode n = JSON.readTree(payload);
                String kind = n.fieldNames().next();
                return new RunChange(kind, n.get(kind).asText());
            } catch (JsonProcessingException | RuntimeException e) {
                throw new IllegalArgumentException("not a run change: " + payload, e);
            }
        }
    }

    public static LiveNotice pictures(String runId, Map<PictureKind, Long> steps) {
        return new LiveNotice(runId, null, new long[0], new float[0], new long[0], new double[0], steps, 0);
    }

    /** Only a status, e.g. of a run a web instance changed itself (stopped while queued). */
    public static LiveNotice status(String runId, Status status) {
        return new LiveNotice(runId, status, new long[0], new float[0], new long[0], new double[0], Map.of(), 0);
    }

    public String json() {
        ObjectNode n = JSON.createObjectNode();
        n.put("run", runId);
        if (status != null) {
            ObjectNode s = n.putObject("s");
            s.put("state", status.state().name());
            s.put("step", status.step());
            s.put("rate", Double.isFinite(status.stepsPerSecond()) ? Math.round(status.stepsPerSecond() * 10) / 10.0 : 0);
            if (status.error() != null) {
                s.put("error", status.error().length() > 1000 ? status.error().substring(0, 1000) : status.error());
            }
            s.put("skipped", status.skippedUpdates());
        }
        if (lossSteps.length > 0) {
            n.put("at", atMillis);
            ArrayNode steps = n.putArray("ls");
            ArrayNode values = n.putArray("lv");
            for (int i = 0; i < lossSteps.length; i++) {
                steps.add(lossSteps[i]);
                values.add(lossValues[i]);
            }
        }
        if (metricSteps.length > 0) {
            ArrayNode steps = n.putArray("ms");
            ArrayNode values = n.putArray("mv");
            for (int i = 0; i < metricSteps.length; i++) {
                steps.add(metricSteps[i]);
                if (Double.isFinite(metricValues[i])) {
                    values.add(metricValues[i]);
                } else {
                    values.addNull();
                }
            }
        }
        if (pictures != null && !pictures.isEmpty()) {
            ObjectNode p = n.putObject("p");
            pictures.forEach((kind, step) -> p.put(kind.id(), step));
        }
        return n.toString();
    }

    public static LiveNotice parse(String payload) {
        try {
            JsonNode n = JSON.readTree(payload);
            Status status = null;
            JsonNode s = n.get("s");
            if (s != null) {
                status = new Status(RunState.valueOf(s.get("state").asText()), s.get("step").asLong(),
                        s.get("rate").asDouble(), s.hasNonNull("error") ? s.get("error").asText() : null,
                        s.get("skipped").asLong());
            }
            long[] ls = longs(n.get("ls"));
            float[] lv = new float[ls.length];
            for (int i = 0; i < ls.length; i++) {
                lv[i] = (float) n.get("lv").get(i).asDouble();
            }
            long[] ms = longs(n.get("ms"));
            double[] mv = new double[ms.length];
            for (int i = 0; i < ms.length; i++) {
                JsonNode v = n.get("mv").get(i);
                mv[i] = v.isNull() ? Double.NaN : v.asDouble();
            }
            Map<PictureKind, Long> pictures = new EnumMap<>(PictureKind.class);
            JsonNode p = n.get("p");
            if (p != null) {
                p.fields().forEachRemaining(e -> {
                    PictureKind kind = PictureKind.byId(e.getKey());
                    if (kind != null) {
                        pictures.put(kind, e.getValue().asLong());
                    }
                });
            }
            return new LiveNotice(n.get("run").asText(), status, ls, lv, ms, mv, pictures, n.path("at").asLong(0));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a live notice: " + payload, e);
        }
    }

    private static long[] longs(JsonNode array) {
        if (array == null) {
            return new long[0];
        }
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    /**
     * This notice as notices of at most {@value #MAX_POINTS} loss points each, in step order; the status and
     * the metric go with the last one, so a viewer sees the step only with the points up to it.
     */
    public List<LiveNotice> split() {
        List<LiveNotice> out = new ArrayList<>();
        int n = lossSteps.length;
        for (int from = 0; from + MAX_POINTS < n; from += MAX_POINTS) {
            out.add(new LiveNotice(runId, null, java.util.Arrays.copyOfRange(lossSteps, from, from + MAX_POINTS),
                    java.util.Arrays.copyOfRange(lossValues, from, from + MAX_POINTS), new long[0], new double[0],
                    Map.of(), atMillis));
        }
        int last = n <= MAX_POINTS ? 0 : n - ((n - 1) % MAX_POINTS + 1);
        out.add(new LiveNotice(runId, status, java.util.Arrays.copyOfRange(lossSteps, last, n),
                java.util.Arrays.copyOfRange(lossValues, last, n), metricSteps, metricValues, pictures, atMillis));
        return out;
    }
}
