package diffusionlab.web.security;

/**
 * Who started a run, as the class view shows it to the teacher: a short label that stays the same for one browser
 * (derived from the hash of its owner cookie, which is all a run keeps) and says nothing about the cookie itself.
 */
public final class OwnerLabel {
    static final int HEX_DIGITS = 6;

    private OwnerLabel() {
    }

    /** "student 3fa9c1", or "nobody" for a run without an owner. */
    public static String of(String ownerHash) {
        if (ownerHash == null || ownerHash.isEmpty()) {
            return "nobody";
        }
        return "student " + OwnerCookie.hash("owner-label:" + ownerHash).substring(0, HEX_DIGITS);
    }
}
