package diffusionlab.training.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * NumPy's {@code .npy} format, version 1.0, for little-endian float32 arrays: the 6-byte magic, the version,
 * the header length, a Python dict literal padded with spaces to a multiple of 64 bytes and ended by a
 * newline, then the data. {@code numpy.load} reads it back with the same shape and values.
 */
public final class Npy {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    static final int ALIGN = 64;

    private Npy() {
    }

    /** A 1-D float32 array of {@code values.length} elements. */
    public static byte[] float32(float[] values) {
        return float32(values, values.length);
    }

    /** A float32 array of the given C-order shape (the product of the shape must be the length). */
    public static byte[] float32(float[] values, int... shape) {
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape");
            }
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException("shape holds " + count + " elements, the array " + values.length);
        }
        byte[] header = header(shape);
        ByteBuffer out = ByteBuffer.allocate(header.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(header);
        out.asFloatBuffer().put(values);
        return out.array();
    }

    /** The magic, the version, the header length and the padded dict, together a multiple of 64 bytes long. */
    static byte[] header(int... shape) {
        StringBuilder dims = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            dims.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        dims.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + dims + ", }";
        int preamble = MAGIC.length + 2 + 2;
        int unpadded = preamble + dict.length() + 1; // + the final newline
        int total = (unpadded + ALIGN - 1) / ALIGN * ALIGN;
        String padded = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) padded.length());
        b.put(padded.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }
}
