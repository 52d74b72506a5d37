package diffusionlab.web.pages;

/** {@code /teacher}: sign in with the teacher key to control every run from the dashboards. */
public record TeacherPage(boolean enabled, boolean signedIn) {
}
