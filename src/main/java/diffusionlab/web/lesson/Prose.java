package diffusionlab.web.lesson;

import java.util.ArrayList;
import java.util.List;

/**
 * A paragraph of the lesson: text with inline formulas between dollar signs ({@code "the score $\nabla_x \log q$
 * points uphill"}), split into the parts a template writes: text as text, formulas for the browser to typeset.
 */
public record Prose(List<Part> parts) {

    /** Text, or a formula in TeX when {@code tex} is true. */
    public record Part(String text, boolean tex) {
    }

    public Prose {
        parts = List.copyOf(parts);
    }

    /** Splits at the dollar signs; a paragraph with an odd number of them is a mistake in the lesson. */
    public static Prose of(String paragraph) {
        String[] pieces = paragraph.split("\\$", -1);
        if (pieces.length % 2 == 0) {
            throw new IllegalArgumentException("an inline formula is not closed: " + paragraph);
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < pieces.length; i++) {
            if (!pieces[i].isEmpty()) {
                parts.add(new Part(pieces[i], i % 2 == 1));
            }
        }
        return new Prose(parts);
    }
}
