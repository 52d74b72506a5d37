package diffusionlab.training;

/**
 * Text that users type and others see (a run's name): which characters it may not hold, and how to write any
 * user text into the log. Refused are control characters, the bidirectional controls that make text display
 * in another order than it reads (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C), and the line and
 * paragraph separators U+2028 and U+2029, which break lines in logs and in JavaScript.
 */
public final class UserText {
    private UserText() {
    }

    /** Whether a name may not hold this character. */
    public static boolean isRefused(int codePoint) {
        return Character.isISOControl(codePoint)
                || codePoint >= 0x202A && codePoint <= 0x202E
                || codePoint >= 0x2066 && codePoint <= 0x2069
                || codePoint == 0x200E || codePoint == 0x200F || codePoint == 0x061C
                || codePoint == 0x2028 || codePoint == 0x2029;
    }

    /** The text without the refused characters (for names stored before they were refused). */
    public static String withoutRefused(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().filter(c -> !isRefused(c)).forEach(sb::appendCodePoint);
        return sb.toString();
    }

    /**
     * The text for one line of the log: the refused characters and every other invisible formatting character
     * (Unicode's Cf, e.g. a zero-width joiner) written as {@code \\uXXXX}, and the backslash as {@code \\\\}, so
     * that a log line shows exactly what was sent and cannot be split or reordered by it.
     */
    public static String forLog(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                sb.append("\\\\");
            } else if (isRefused(c) || Character.getType(c) == Character.FORMAT) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
