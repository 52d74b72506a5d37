package diffusionlab.web.pages;

/** A preset button: its label and description, and its whole config as JSON for the form to fill in. */
public record PresetOption(String id, String label, String description, String configJson) {
}
