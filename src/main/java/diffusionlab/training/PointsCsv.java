package diffusionlab.training;

import diffusionlab.engine.InvalidConfigException;
import diffusionlab.engine.data.Dataset;
import java.util.Locale;

/** Reads and writes 2D points as CSV with the header {@code x,y} (the header is optional on input). */
public final class PointsCsv {
    private PointsCsv() {
    }

    /** Parses "x,y" lines (or "x,y;x,y"); blank lines and a header line are skipped. */
    public static float[] parse(String text) {
        String[] lines = text.split("[\\r\\n;]+");
        float[] xy = new float[2 * Math.min(lines.length, Dataset.MAX_POINTS + 1)];
        int n = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || (n == 0 && Character.isLetter(line.charAt(0)))) {
                continue;
            }
            if (n >= Dataset.MAX_POINTS) {
                throw new InvalidConfigException("points", "points: at most " + Dataset.MAX_POINTS + " pairs");
            }
            String[] parts = line.split("[,\\s]+");
            if (parts.length != 2) {
                throw new InvalidConfigException("points", "points: line " + (i + 1) + " must be 'x,y'");
            }
            try {
                xy[2 * n] = Float.parseFloat(parts[0]);
                xy[2 * n + 1] = Float.parseFloat(parts[1]);
            } catch (NumberFormatException ex) {
                throw new InvalidConfigException("points", "points: line " + (i + 1) + " is not two numbers");
            }
            n++;
        }
        return java.util.Arrays.copyOf(xy, 2 * n);
    }

    /** "x,y\n" then one line per point. */
    public static String format(float[] xy) {
        StringBuilder sb = new StringBuilder(16 * xy.length + 4).append("x,y\n");
        for (int i = 0; i + 1 < xy.length; i += 2) {
            sb.append(String.format(Locale.ROOT, "%.6g,%.6g%n", xy[i], xy[i + 1]));
        }
        return sb.toString();
    }
}
