package diffusionlab.web.pages;

/** One option of a select field. */
public record Choice(String value, String label, boolean selected) {
}
