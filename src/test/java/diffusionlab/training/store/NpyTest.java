package diffusionlab.training.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    private static final float[] VALUES = {0f, 1.5f, -2.25f, 3.4028235e38f, 1.4e-45f, Float.NaN, -0f};

    @Test
    void theHeaderIsVersionOneWithTheDictPaddedTo64Bytes() {
        byte[] npy = Npy.float32(VALUES);
        assertArrayEquals(Npy.MAGIC, Arrays.copyOf(npy, 6));
        assertEquals(1, npy[6]);
        assertEquals(0, npy[7]);
        int headerLength = ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
        assertEquals(0, (10 + headerLength) % 64);
        String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (7,), }"), header);
        assertTrue(header.endsWith("\n"));
        assertTrue(header.substring(0, header.length() - 1).chars().skip(57).allMatch(c -> c == ' '));
        assertEquals(10 + headerLength + 4 * VALUES.length, npy.length);
    }

    @Test
    void theDataAreLittleEndianFloat32s() {
        byte[] npy = Npy.float32(VALUES);
        int offset = npy.length - 4 * VALUES.length;
        ByteBuffer data = ByteBuffer.wrap(npy, offset, 4 * VALUES.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : VALUES) {
            assertEquals(Float.floatToRawIntBits(v), Float.floatToRawIntBits(data.getFloat()));
        }
    }

    @Test
    void shapesAreWrittenAsPythonTuples() {
        assertTrue(new String(Npy.header(2, 3), StandardCharsets.US_ASCII).contains("'shape': (2, 3), }"));
        assertTrue(new String(Npy.header(0), StandardCharsets.US_ASCII).contains("'shape': (0,), }"));
        assertEquals(128, Npy.float32(new float[0]).length); // 10 + 58 + 1 bytes, padded like numpy's own
        assertThrows(IllegalArgumentException.class, () -> Npy.float32(new float[5], 2, 3));
    }

    /** With Debian's python3 and numpy present, numpy.load reads the file back exactly; otherwise skipped. */
    @Test
    void numpyLoadsTheFile(@TempDir Path dir) throws Exception {
        File python = new File("/usr/bin/python3");
        assumeTrue(python.canExecute(), "no /usr/bin/python3: numpy check skipped");
        Process probe = new ProcessBuilder(python.getPath(), "-c", "import numpy").redirectErrorStream(true).start();
        assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0, "numpy is not installed: check skipped");

        float[] values = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i) * i;
        }
        Path file = dir.resolve("w.npy");
        Files.write(file, Npy.float32(values, 25, 40));
        String script = "import numpy as np, sys\n"
                + "a = np.load(sys.argv[1])\n"
                + "assert a.dtype == np.float32 and a.shape == (25, 40), (a.dtype, a.shape)\n"
                + "sys.stdout.write(repr(float(a.sum(dtype=np.float64))) + ' ' + repr(float(a[24, 39])))\n";
        Process p = new ProcessBuilder(python.getPath(), "-c", script, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        String[] parts = out.split(" ");
        assertEquals(sum, Double.parseDouble(parts[0]), 1e-9 * Math.abs(sum) + 1e-6);
        assertEquals(values[999], Float.parseFloat(parts[1]));
    }
}
