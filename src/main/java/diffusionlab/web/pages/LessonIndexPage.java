package diffusionlab.web.pages;

import diffusionlab.web.lesson.LessonSection;
import java.util.List;

/** {@code /lesson}: the sections of the lesson, in order. */
public record LessonIndexPage(List<LessonSection> sections) {
}
