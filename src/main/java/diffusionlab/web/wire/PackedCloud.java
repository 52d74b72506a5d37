package diffusionlab.web.wire;

/**
 * A 2D point cloud as it travels: {@code n} points, each coordinate quantised to an unsigned 16-bit integer
 * over the cloud's own [min, max] box, interleaved x, y, little-endian, base64 in {@code q}.
 * x = min[0] + q_x / 65534 * (max[0] - min[0]); the value 65535 stands for a missing (non-finite) coordinate.
 */
public record PackedCloud(int n, float[] min, float[] max, String q) {
}
