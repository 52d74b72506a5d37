package diffusionlab.web;

import diffusionlab.training.Run;
import diffusionlab.training.RunRegistry;

/** Finds a run by the id in a URL, or answers 404. */
public final class RunLookup {
    private final RunRegistry registry;

    public RunLookup(RunRegistry registry) {
        this.registry = registry;
    }

    public Run require(String id) {
        return registry.get(id).orElseThrow(() -> HttpProblem.notFound("there is no run with id '"
                + (id.length() > 40 ? id.substring(0, 40) + "..." : id) + "'"));
    }
}
