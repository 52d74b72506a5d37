package diffusionlab.web.lesson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.engine.objective.ObjectiveKind;
import diffusionlab.training.ConfigFields;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LessonSectionTest {
    @Test
    void aFormulaIsCutIntoPartsAtItsQquadsOutsideGroupsOnly() {
        assertEquals(List.of("z_k \\sim \\mathcal{N}(0, I),", "\\epsilon_{k+1} = d\\,\\epsilon_k"),
                LessonSection.LANGEVIN.texParts().subList(1, 3));
        for (LessonSection s : LessonSection.values()) {
            List<String> parts = s.texParts();
            assertTrue(parts.size() >= 1, s.id());
            assertEquals(s.tex().replaceAll("\\\\qquad(?![A-Za-z])", "").replaceAll("\\s", ""),
                    String.join("", parts).replaceAll("\\s", ""), s.id() + ": nothing but the \\qquads is lost");
            for (String part : parts) {
                assertEquals(part.chars().filter(c -> c == '{').count(), part.chars().filter(c -> c == '}').count(),
                        s.id() + ": every part closes its groups: " + part);
            }
        }
    }

    @Test
    void theSectionsFollowTheNotebooksOrder() {
        assertEquals(List.of("data", "score", "langevin", "sliced", "denoising", "forward", "reverse", "ddpm", "ddim",
                "flow"), Arrays.stream(LessonSection.values()).map(LessonSection::id).toList());
    }

    @Test
    void everySectionIsBoundToAPresetAndItsKnobIsAFieldOfTheForm() {
        for (LessonSection s : LessonSection.values()) {
            assertNotNull(s.preset(), s.id());
            assertTrue(ConfigFields.ALL.stream().anyMatch(f -> f.name().equals(s.knob()) && f.inForm()), s.knob());
            assertTrue(s.paragraphs().size() >= 2, s.id() + " has a few paragraphs");
        }
    }

    @Test
    void everyObjectiveHasTheSectionThatExplainsIt() {
        for (ObjectiveKind objective : ObjectiveKind.values()) {
            assertNotNull(LessonSection.forObjective(objective.id()));
        }
        assertEquals(LessonSection.FLOW, LessonSection.forObjective("flow_matching"));
        assertEquals(LessonSection.DENOISING, LessonSection.forObjective("dsm"));
    }

    @Test
    void aSectionIsFoundByItsSlugOnly() {
        assertEquals(LessonSection.DDIM, LessonSection.byId("ddim").orElseThrow());
        assertTrue(LessonSection.byId("DDIM").isEmpty());
        assertTrue(LessonSection.byId("nosuch").isEmpty());
    }

    @Test
    void inlineFormulasAreTheTextBetweenDollarSigns() {
        Prose prose = Prose.of("the score $\\nabla_x \\log q$ points uphill");

        assertEquals(List.of(new Prose.Part("the score ", false), new Prose.Part("\\nabla_x \\log q", true),
                new Prose.Part(" points uphill", false)), prose.parts());
        assertThrows(IllegalArgumentException.class, () -> Prose.of("an $unclosed formula"));
    }
}
