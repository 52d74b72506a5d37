package diffusionlab.web.wire;

import java.util.Base64;

/**
 * Packs the states of a few particles through a chain ([n, 2] each, in chain order) into a {@link PackedMotion}:
 * 16 bits a coordinate for the first state, then 8 bits a coordinate for each step, so 300 particles through 101
 * states take about 80 KB of JSON where a packed cloud per state would take 160 KB. Each step is quantised from
 * the previous <em>decoded</em> state, so the error does not add up along the chain: it stays within half of that
 * step's scale (the largest move of any particle in that step / 127).
 */
public final class MotionCodec {
    static final int LEVELS = 127;
    static final byte MISSING = -128;

    private MotionCodec() {
    }

    public static PackedMotion pack(float[][] states) {
        PackedCloud start = CloudCodec.pack(states[0]);
        float[] previous = CloudCodec.unpack(start);
        int coordinates = previous.length;
        float[] scales = new float[states.length - 1];
        byte[] steps = new byte[scales.length * coordinates];
        for (int j = 1; j < states.length; j++) {
            float[] next = states[j];
            double largest = 0;
            for (int i = 0; i < coordinates; i++) {
                double move = (double) next[i] - previous[i];
                if (Double.isFinite(move)) {
                    largest = Math.max(largest, Math.abs(move));
                }
            }
            float scale = (float) (largest / LEVELS);
            scales[j - 1] = scale;
            int at = (j - 1) * coordinates;
            for (int i = 0; i < coordinates; i++) {
                double move = (double) next[i] - previous[i];
                if (!Double.isFinite(move)) {
                    steps[at + i] = MISSING;
                    previous[i] = Float.NaN;
                    continue;
                }
                int q = scale == 0 ? 0 : (int) Math.max(-LEVELS, Math.min(LEVELS, Math.round(move / scale)));
                steps[at + i] = (byte) q;
                previous[i] = (float) (previous[i] + q * (double) scale);
            }
        }
        return new PackedMotion(coordinates / 2, start, scales, Base64.getEncoder().encodeToString(steps));
    }

    /** The inverse of {@link #pack}, up to quantisation; what static/js/wire.js's {@code unpackMotion} does. */
    public static float[][] unpack(PackedMotion motion) {
        byte[] steps = Base64.getDecoder().decode(motion.d());
        float[][] states = new float[motion.scales().length + 1][];
        states[0] = CloudCodec.unpack(motion.start());
        int coordinates = 2 * motion.n();
        for (int j = 1; j < states.length; j++) {
            float[] previous = states[j - 1];
            float[] next = new float[coordinates];
            double scale = motion.scales()[j - 1];
            int at = (j - 1) * coordinates;
            for (int i = 0; i < coordinates; i++) {
                byte q = steps[at + i];
                next[i] = q == MISSING ? Float.NaN : (float) (previous[i] + q * scale);
            }
            states[j] = next;
        }
        return states;
    }
}
