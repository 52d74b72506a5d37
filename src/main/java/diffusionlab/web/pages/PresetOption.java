package diffusionlab.web.pages;

/**
 * A preset button: its label and description, its whole config as JSON for the form to fill in, and whether it
 * needs a parent run (the form then offers the finished flows).
 */
public record PresetOption(String id, String label, String description, String configJson, boolean needsParent) {
}
