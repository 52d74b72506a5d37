package diffusionlab.training;

import java.math.BigDecimal;

/** The allowed values of a numeric config field: lo to hi, each bound included or not. */
public record FieldRange(double lo, boolean loIncluded, double hi, boolean hiIncluded) {

    /** [lo, hi]. */
    public static FieldRange between(double lo, double hi) {
        return new FieldRange(lo, true, hi, true);
    }

    /** (lo, hi]. */
    public static FieldRange aboveAtMost(double lo, double hi) {
        return new FieldRange(lo, false, hi, true);
    }

    /** [lo, hi). */
    public static FieldRange atLeastBelow(double lo, double hi) {
        return new FieldRange(lo, true, hi, false);
    }

    public boolean contains(double v) {
        return Double.isFinite(v) && (loIncluded ? v >= lo : v > lo) && (hiIncluded ? v <= hi : v < hi);
    }

    /** In words, for messages: "between 2 and 10000", "greater than 0 and at most 0.5". */
    public String inWords() {
        if (loIncluded && hiIncluded) {
            return "between " + format(lo) + " and " + format(hi);
        }
        return (loIncluded ? "at least " : "greater than ") + format(lo)
                + (hiIncluded ? " and at most " : " and less than ") + format(hi);
    }

    /** As an interval, for the README: "[2, 10000]", "(0, 0.5]". */
    public String interval() {
        return (loIncluded ? "[" : "(") + format(lo) + ", " + format(hi) + (hiIncluded ? "]" : ")");
    }

    /** 0.0001 and 9007199254740992 rather than 1.0E-4 and 9.007199254740992E15. */
    public static String format(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
