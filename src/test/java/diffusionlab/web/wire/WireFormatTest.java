package diffusionlab.web.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.engine.Rng;
import diffusionlab.training.ConfigParser;
import diffusionlab.training.PictureKind;
import diffusionlab.training.RunConfig;
import diffusionlab.training.RunEvent;
import diffusionlab.training.RunHistory;
import diffusionlab.training.RunSnapshot;
import diffusionlab.training.RunState;
import diffusionlab.training.RunStatus;
import diffusionlab.web.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatTest {
    private final WireFormat wire = new WireFormat(Json.mapper());
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aFrameOf2000PointsIsWellUnder20KilobytesOnTheWire() throws Exception {
        float[] cloud = new float[2 * 2000];
        new Rng(1).fillGaussian(cloud, 0, cloud.length);

        String samples = wire.encode(WireFormat.of(new RunEvent.Samples(1234, "ancestral", cloud, null)));
        String oneFrame = wire.encode(WireFormat.of(new RunEvent.Frames(PictureKind.REVERSE, 1234, new int[] {0},
                new float[][] {cloud})));

        int samplesBytes = samples.getBytes(StandardCharsets.UTF_8).length;
        int frameBytes = oneFrame.getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("2,000 points on the wire: samples message %d bytes, one-cloud frames message %d bytes%n",
                samplesBytes, frameBytes);
        assertTrue(samplesBytes < 12_000, samplesBytes + " bytes");
        assertTrue(frameBytes < 12_000, frameBytes + " bytes");
        assertEquals("samples", json.readTree(samples).get("type").asText());
    }

    @Test
    void everyMessageNamesItsTypeAndKeepsItsFields() throws Exception {
        JsonNode loss = json.readTree(wire.encode(WireFormat.of(new RunEvent.LossPoints(new long[] {1, 2},
                new float[] {0.5f, 0.25f}))));
        JsonNode field = json.readTree(wire.encode(WireFormat.of(new RunEvent.Field(10, new int[] {0, 5}, 2, -1, 1,
                new float[][] {new float[8], new float[8]}))));

        assertEquals("loss", loss.get("type").asText());
        assertEquals(2, loss.get("steps").get(1).asLong());
        assertEquals(0.25, loss.get("values").get(1).asDouble(), 1e-9);
        assertEquals("field", field.get("type").asText());
        assertEquals(2, field.get("size").asInt());
        assertEquals(2, field.get("vectors").size());
        assertEquals(4, field.get("vectors").get(0).get("n").asInt());
    }

    @Test
    void qualityAgainstSamplingStepsTravelsAsNumbersWithNullForWhatIsNotFinite() throws Exception {
        JsonNode q = json.readTree(wire.encode(WireFormat.of(new RunEvent.Quality(3000, "euler", 800,
                new int[] {1, 2, 100}, new double[] {0.5, Double.POSITIVE_INFINITY, 0.03}, Double.NaN))));

        assertEquals("quality", q.get("type").asText());
        assertEquals(3000, q.get("trainingStep").asLong());
        assertEquals("euler", q.get("sampler").asText());
        assertEquals(800, q.get("points").asInt());
        assertEquals(100, q.get("evaluations").get(2).asInt());
        assertEquals(0.5, q.get("distances").get(0).asDouble());
        assertTrue(q.get("distances").get(1).isNull());
        assertTrue(q.get("straightness").isNull());
    }

    @Test
    void theSnapshotCarriesEachPictureUnderItsKindAsTheMessageItIsSentAsLater() throws Exception {
        RunStatus status = new RunStatus("abc", "test", "ddpm_simple", RunState.RUNNING, 5, 100, 0, 0, null, 0, 0, 0, 0);
        RunConfig config = ConfigParser.parse(Map.of("steps", 100));
        RunEvent.Data data = new RunEvent.Data(new float[] {1, 2, 3, 4});
        RunEvent.Samples samples = new RunEvent.Samples(5, "ddim", new float[] {0, 1}, null);
        RunHistory history = new RunHistory(new long[] {5}, new float[] {0.5f}, new long[0], new double[0],
                Map.of(PictureKind.DATA, data, PictureKind.SAMPLES, samples));

        JsonNode snapshot = json.readTree(wire.encode(WireFormat.snapshot(new RunSnapshot(status, config, 100, history))));

        assertEquals("snapshot", snapshot.get("type").asText());
        assertEquals(100, snapshot.get("timesteps").asInt());
        assertEquals(json.readTree(wire.encode(WireFormat.of(data))), snapshot.get("data"));
        assertEquals(json.readTree(wire.encode(WireFormat.of(samples))), snapshot.get("samples"));
        assertEquals("data", snapshot.get("data").get("type").asText());
        assertEquals(2, snapshot.get("data").get("cloud").get("n").asInt());
        assertNull(snapshot.get("forward"), "a picture not drawn yet is absent");
        assertEquals(1, snapshot.get("loss").get("steps").size());
    }

    @Test
    void lossPointsStampedByTheWorkerThatPublishedThemCarryThatStampAsAt() throws Exception {
        long stamped = 1_732_805_432_123L;
        JsonNode fromWorker = json.readTree(wire.encode(WireFormat.of(
                new RunEvent.LossPoints(new long[] {10}, new float[] {0.5f}, stamped))));
        assertEquals(stamped, fromWorker.get("at").asLong());
        long before = System.currentTimeMillis();
        JsonNode here = json.readTree(wire.encode(WireFormat.of(new RunEvent.LossPoints(new long[] {10}, new float[] {0.5f}))));
        assertTrue(here.get("at").asLong() >= before, "published in this process: stamped now");
    }
}

