package diffusionlab.web;

import diffusionlab.training.Run;
import diffusionlab.training.RunRegistry;
import diffusionlab.web.errors.HttpProblem;
import java.util.regex.Pattern;

/**
 * Finds a run by the id in a URL, or answers 404. Only ids shaped like the registry's own (letters and
 * digits) are looked up at all, so nothing a client sends ever reaches storage as a key or a file name.
 */
public final class RunLookup {
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9]{1,40}");

    private final RunRegistry registry;

    public RunLookup(RunRegistry registry) {
        this.registry = registry;
    }

    public Run require(String id) {
        if (id == null || !WELL_FORMED.matcher(id).matches()) {
            throw HttpProblem.notFound("there is no run with id '" + abbreviate(id) + "'");
        }
        return registry.get(id).orElseThrow(() -> HttpProblem.notFound("there is no run with id '"
                + abbreviate(id) + "'"));
    }

    private static String abbreviate(String id) {
        return id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "..." : id;
    }
}
