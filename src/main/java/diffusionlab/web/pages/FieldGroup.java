package diffusionlab.web.pages;

import java.util.List;

/** A titled group of the new-run form: data, noise schedule, model, objective, training or sampling. */
public record FieldGroup(String id, String title, String notation, List<FormField> fields) {
}
