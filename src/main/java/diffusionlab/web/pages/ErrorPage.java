package diffusionlab.web.pages;

/** An error as a page: its status, a short title and what went wrong. */
public record ErrorPage(int status, String title, String message) {
}
