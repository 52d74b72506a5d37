package diffusionlab.web.api;

import diffusionlab.web.errors.HttpProblem;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Query parameters checked like config fields: unknown names and values out of range are a 400 naming them. */
final class QueryParams {
    private QueryParams() {
    }

    /** The single-valued parameters, refusing any name not in {@code allowed}. */
    static Map<String, Object> only(Context ctx, Set<String> allowed) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw HttpProblem.badRequest("unknown parameter '" + abbreviate(e.getKey()) + "'; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()), e.getKey());
            }
            if (e.getValue().size() != 1) {
                throw HttpProblem.badRequest(e.getKey() + " is given more than once", e.getKey());
            }
            values.put(e.getKey(), e.getValue().get(0));
        }
        return values;
    }

    /** Removes and returns a whole number in [min, max], or the fallback when absent. */
    static int takeInt(Map<String, Object> values, String name, int fallback, int min, int max) {
        Object v = values.remove(name);
        if (v == null || String.valueOf(v).isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(String.valueOf(v).strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw HttpProblem.badRequest(name + " must be a whole number between " + min + " and " + max, name);
    }

    /** Removes and returns a finite number in [min, max], or the fallback when absent. */
    static double takeDouble(Map<String, Object> values, String name, double fallback, double min, double max) {
        Object v = values.remove(name);
        if (v == null || String.valueOf(v).isBlank()) {
            return fallback;
        }
        try {
            double x = Double.parseDouble(String.valueOf(v).strip());
            if (x >= min && x <= max) {
                return x;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw HttpProblem.badRequest(name + " must be a number between " + min + " and " + max, name);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
