package diffusionlab.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --kebab-name value} pairs, kept in order, with the names also available in camelCase. */
public final class Args {
    private final Map<String, String> values;

    private Args(Map<String, String> values) {
        this.values = values;
    }

    public static Args parse(String[] argv) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException(a, "unexpected argument '" + a + "'; options look like --name value");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= argv.length) {
                    throw new UsageException(a, "--" + name + " needs a value");
                }
                value = argv[++i];
            }
            if (values.put(name, value) != null) {
                throw new UsageException(a, "--" + name + " is given twice");
            }
        }
        return new Args(values);
    }

    /** Removes and returns an option, or the fallback. */
    public String take(String kebab, String fallback) {
        String v = values.remove(kebab);
        return v != null ? v : fallback;
    }

    public int takeInt(String kebab, int fallback, int min, int max) {
        String v = take(kebab, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + kebab, "--" + kebab + " must be a whole number between " + min + " and " + max);
        }
    }

    /** What is left, with kebab-case names turned into the config's camelCase. */
    public Map<String, Object> remainingAsCamelCase() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(camel(k), v));
        return out;
    }

    /** The kebab-case spelling of a camelCase field, for messages. */
    public static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }

    static String camel(String kebab) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
