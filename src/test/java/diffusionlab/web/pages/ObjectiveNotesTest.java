package diffusionlab.web.pages;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.objective.ObjectiveKind;
import org.junit.jupiter.api.Test;

class ObjectiveNotesTest {
    @Test
    void everyObjectiveSaysWhyItBehavesAsItDoesInOneSentence() {
        for (ObjectiveKind objective : ObjectiveKind.values()) {
            String why = ObjectiveNotes.why(objective);
            assertNotNull(why, objective.id());
            assertTrue(why.endsWith(".") && why.length() < 300, objective.id() + ": " + why);
        }
    }
}
