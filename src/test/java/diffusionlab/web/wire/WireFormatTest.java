package diffusionlab.web.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.engine.Rng;
import diffusionlab.training.RunEvent;
import diffusionlab.web.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireFormatTest {
    private final WireFormat wire = new WireFormat(Json.mapper());
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aFrameOf2000PointsIsWellUnder20KilobytesOnTheWire() throws Exception {
        float[] cloud = new float[2 * 2000];
        new Rng(1).fillGaussian(cloud, 0, cloud.length);

        String samples = wire.encode(WireFormat.of(new RunEvent.Samples(1234, "ancestral", cloud, null)));
        String oneFrame = wire.encode(WireFormat.of(new RunEvent.Frames("reverse", 1234, new int[] {0},
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
}
