package diffusionlab.web.pages;

import java.util.List;

/**
 * One input of the new-run form. {@code kind} is select, number or text; {@code symbol} is the field in the
 * notebook's notation; {@code when} says when the field matters (e.g. "objective:dsm", "schedule:!cosine",
 * "sampler:langevin;objective:dsm,ssm"), so the form can dim it otherwise.
 */
public record FormField(String name, String label, String symbol, String help, String kind, String value,
                        List<Choice> choices, String min, String max, String step, String when) {

    public boolean isSelect() {
        return kind.equals("select");
    }
}
