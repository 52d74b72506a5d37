package diffusionlab.training.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Number arrays as little-endian bytes (the store's blob format, and what a browser's Float32Array reads). */
public final class LittleEndian {
    private LittleEndian() {
    }

    public static byte[] floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    public static float[] floats(byte[] bytes) {
        if (bytes.length % 4 != 0) {
            throw new IllegalArgumentException("a float array needs a multiple of 4 bytes, got " + bytes.length);
        }
        float[] v = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
