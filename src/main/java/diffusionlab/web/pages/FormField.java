package diffusionlab.web.pages;

import java.util.List;

/**
 * One input of the new-run form. {@code kind} is select, number or text; {@code symbol} is the field in the
 * notebook's notation; {@code when} says when the field matters (e.g. "objective:dsm", "schedule:!cosine",
 * "sampler:langevin;objective:dsm,ssm"), so the form can dim it otherwise. A number's range is min to max;
 * {@code minExcluded} and {@code maxExcluded} say a bound is not allowed itself (β_T in (0, 0.999]), which the
 * input's own min and max cannot say.
 */
public record FormField(String name, String label, String symbol, String help, String kind, String value,
                        List<Choice> choices, String min, String max, boolean minExcluded, boolean maxExcluded,
                        String step, String when) {

    public boolean isSelect() {
        return kind.equals("select");
    }
}
