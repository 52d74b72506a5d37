package diffusionlab.web.pages;

/** {@code /class}: the teacher's class view; {@code presenting} says whether the teacher presents now. */
public record ClassPage(boolean presenting) {
}
