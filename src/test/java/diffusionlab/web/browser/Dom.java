package diffusionlab.web.browser;

import com.microsoft.playwright.Page;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a test reads back from the page: canvas pixels, Chart.js data, the step counter. */
final class Dom {
    /** The colours the pages draw with (static/js/point-cloud.js, loss-chart.js, points-editor.js). */
    static final int[] FORWARD = {0x30, 0x63, 0x8e};
    static final int[] REVERSE = {0xc0, 0x39, 0x2b};
    static final int[] EDITOR = {0x1f, 0x5f, 0x99};
    static final int[] FIRST_SERIES = {0x1f, 0x5f, 0x99};
    static final int[] SECOND_SERIES = {0xc0, 0x39, 0x2b};

    private static final Pattern STEP = Pattern.compile("step ([\\d,]+) / ([\\d,]+)");

    private Dom() {
    }

    /** Opaque pixels of one colour on a canvas, and their bounding box in canvas pixels. */
    record Paint(int count, int minX, int maxX, int minY, int maxY, int width, int height) {
        double centerX() {
            return (minX + maxX) / 2.0;
        }

        double centerY() {
            return (minY + maxY) / 2.0;
        }

        int spanX() {
            return maxX - minX + 1;
        }

        int spanY() {
            return maxY - minY + 1;
        }
    }

    /** The pixels of the {@code index}-th canvas matching {@code selector} within 40 of {@code rgb}. */
    static Paint painted(Page page, String selector, int index, int[] rgb) {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                ([selector, index, rgb]) => {
                  const canvas = document.querySelectorAll(selector)[index];
                  const w = canvas.width, h = canvas.height;
                  const d = canvas.getContext('2d').getImageData(0, 0, w, h).data;
                  let count = 0, minX = w, maxX = -1, minY = h, maxY = -1;
                  for (let i = 0; i < d.length; i += 4) {
                    if (d[i + 3] < 200 || Math.abs(d[i] - rgb[0]) > 40 || Math.abs(d[i + 1] - rgb[1]) > 40
                        || Math.abs(d[i + 2] - rgb[2]) > 40) continue;
                    const x = (i / 4) % w, y = Math.floor(i / 4 / w);
                    count++;
                    if (x < minX) minX = x; if (x > maxX) maxX = x;
                    if (y < minY) minY = y; if (y > maxY) maxY = y;
                  }
                  return { count, minX, maxX, minY, maxY, width: w, height: h };
                }""", List.of(selector, index, List.of(rgb[0], rgb[1], rgb[2])));
        return new Paint(num(r, "count"), num(r, "minX"), num(r, "maxX"), num(r, "minY"), num(r, "maxY"),
                num(r, "width"), num(r, "height"));
    }

    /**
     * Pixels, over every canvas matching {@code selector}, at least {@code minAlpha} opaque and, if
     * {@code skipNearWhite}, not near white: how much a view has drawn, whatever its colours.
     */
    static int inked(Page page, String selector, int minAlpha, boolean skipNearWhite) {
        return ((Number) page.evaluate("""
                ([selector, minAlpha, skipNearWhite]) => {
                  let n = 0;
                  for (const c of document.querySelectorAll(selector)) {
                    if (!c.width || !c.height) continue;
                    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    for (let i = 0; i < d.length; i += 4) {
                      if (d[i + 3] < minAlpha) continue;
                      if (skipNearWhite && d[i] > 235 && d[i + 1] > 235 && d[i + 2] > 235) continue;
                      n++;
                    }
                  }
                  return n;
                }""", List.of(selector, minAlpha, skipNearWhite))).intValue();
    }

    static Paint painted(Page page, String selector, int[] rgb) {
        return painted(page, selector, 0, rgb);
    }

    /** A hash of a canvas' pixels: it changes when the canvas is redrawn with something else. */
    static String signature(Page page, String selector, int index) {
        return (String) page.evaluate("""
                ([selector, index]) => {
                  const canvas = document.querySelectorAll(selector)[index];
                  const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                  let h = 2166136261;
                  for (let i = 0; i < d.length; i++) h = Math.imul(h ^ d[i], 16777619);
                  return canvas.width + 'x' + canvas.height + ':' + (h >>> 0).toString(16);
                }""", List.of(selector, index));
    }

    /** The datasets of the Chart.js chart on a canvas: label, raw (the faint unsmoothed copy), x values. */
    record Series(String label, boolean raw, List<Double> steps) {
    }

    @SuppressWarnings("unchecked")
    static List<Series> chart(Page page, String canvasId) {
        List<Map<String, Object>> sets = (List<Map<String, Object>>) page.evaluate("""
                (id) => Chart.getChart(document.getElementById(id)).data.datasets
                    .map((d) => ({ label: d.label, raw: !!d.raw, steps: d.data.map((p) => p.x) }))""", canvasId);
        return sets.stream().map(s -> new Series((String) s.get("label"), (Boolean) s.get("raw"),
                ((List<Object>) s.get("steps")).stream().map(v -> ((Number) v).doubleValue()).toList())).toList();
    }

    /** The dashboard's step counter ("step 1,200 / 3,000 ..."), or -1 before the first status. */
    static long step(Page page) {
        Matcher m = STEP.matcher(page.textContent("#progress-text"));
        return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : -1;
    }

    private static int num(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).intValue();
    }
}
