package diffusionlab.web.pages;

/**
 * {@code /class/follow}: the class link. While the teacher presents, the page follows the teacher at once;
 * otherwise it says the teacher has not started ({@code ended} false) or has ended the class, and waits.
 */
public record FollowPage(boolean presenting, boolean ended) {
}
