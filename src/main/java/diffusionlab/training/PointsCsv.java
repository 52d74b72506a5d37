package diffusionlab.training;

import diffusionlab.engine.InvalidConfigException;
import diffusionlab.engine.data.Dataset;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes 2D points as CSV with the header {@code x,y} (the header is optional on input). */
public final class PointsCsv {
    private static final Pattern LINE = Pattern.compile("[^\\r\\n;]+");
    private static final Pattern SEPARATOR = Pattern.compile("[,\\s]+");

    private PointsCsv() {
    }

    /**
     * Parses "x,y" lines (or "x,y;x,y"); blank lines and a header line are skipped. Line by line, without
     * splitting the whole text first: text of any length costs memory for the points it holds, at most
     * {@link Dataset#MAX_POINTS}.
     */
    public static float[] parse(String text) {
        float[] xy = new float[256];
        int n = 0;
        Matcher lines = LINE.matcher(text);
        for (int i = 1; lines.find(); i++) {
            String line = lines.group().strip();
            if (line.isEmpty() || (n == 0 && Character.isLetter(line.charAt(0)))) {
                continue;
            }
            if (n >= Dataset.MAX_POINTS) {
                throw new InvalidConfigException("points", FieldType.Points.TOO_MANY);
            }
            String[] parts = SEPARATOR.split(line, 3); // a third part is an error, however many follow
            if (parts.length != 2) {
                throw new InvalidConfigException("points", "points: line " + i + " must be 'x,y'");
            }
            if (2 * n + 2 > xy.length) {
                xy = Arrays.copyOf(xy, 2 * xy.length);
            }
            try {
                xy[2 * n] = Float.parseFloat(parts[0]);
                xy[2 * n + 1] = Float.parseFloat(parts[1]);
            } catch (NumberFormatException ex) {
                throw new InvalidConfigException("points", "points: line " + i + " is not two numbers");
            }
            n++;
        }
        return Arrays.copyOf(xy, 2 * n);
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
