package diffusionlab.web.pages;

import diffusionlab.web.lesson.LessonSection;
import java.util.List;

/**
 * {@code /lesson/{section}}: one section of the lesson, every section for the list, and the run its live view
 * shows: the one named by {@code ?run=} ({@code chosen}, the teacher's), else the newest run of the section's
 * preset that has something to show (not failed, diverged or stopped before training), else none (the page offers to start one). {@code knob} is the section's config field as the new-run
 * form shows it, filled with the preset's value.
 */
public record LessonPage(LessonSection section, List<LessonSection> sections, ShownRun run, boolean chosen,
                         FormField knob) {

    /** The run the live view shows: what the page needs before its live socket connects. */
    public record ShownRun(String id, String name, String objective, boolean scoreModel) {
    }
}
