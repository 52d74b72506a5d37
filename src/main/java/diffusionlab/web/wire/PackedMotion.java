package diffusionlab.web.wire;

/**
 * The states of n particles through a chain as they travel: the first state a {@link PackedCloud} (16 bits a
 * coordinate), then each next state as one signed byte a coordinate, the step from the previous decoded state in
 * units of that state's {@code scales[j - 1]}: x_j = x_{j-1} + d * scale. All steps are in {@code d} (base64),
 * state after state, x then y for each particle; the byte -128 marks a coordinate that is missing from that state
 * on (non-finite). See {@link MotionCodec}.
 */
public record PackedMotion(int n, PackedCloud start, float[] scales, String d) {
}
