package diffusionlab.web.classroom;

import diffusionlab.web.errors.HttpProblem;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the teacher shows: the page ({@code path}, e.g. {@code /runs/abc}, {@code /lesson/langevin} or
 * {@code /compare?runs=a,b}) and the motion player's state on it: its slider step {@code t} (null when the page
 * has no player or the teacher has not touched it), whether it plays, and at what speed.
 */
public record Presentation(String path, Integer t, boolean playing, double speed) {
    public static final Set<String> FIELDS = Set.of("path", "t", "playing", "speed");
    public static final int MAX_PATH_LENGTH = 300;
    /** The largest slider step a player has: T or Langevin's K ({@code sampleSteps}) at most. */
    public static final int MAX_T = 5000;
    /** The player's speeds ({@code SPEEDS} in static/js/motion.js). */
    public static final List<Double> SPEEDS = List.of(0.25, 0.5, 1.0, 2.0, 4.0);

    /** A path of this app: one leading slash (not two: that would be another host), URL characters only. */
    private static final Pattern APP_PATH = Pattern.compile("/(?!/)[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*");
    /** Not pages a student can open: the API, the files, and the teacher's own pages (the class's socket too). */
    private static final List<String> NOT_PAGES = List.of("/api", "/static", "/webjars", "/class", "/teacher");

    /**
     * Reads a request body ({@link #FIELDS}); 400 naming the field and its limit for anything else: a path that
     * is not a page of this app, a t out of range, a speed the player does not have.
     */
    public static Presentation parse(Map<String, Object> body) {
        if (!(body.get("path") instanceof String path)) {
            throw HttpProblem.badRequest("path: the page to show, e.g. \"/runs/abc\" (a string)", "path");
        }
        if (path.length() > MAX_PATH_LENGTH) {
            throw HttpProblem.badRequest("path: at most " + MAX_PATH_LENGTH + " characters", "path");
        }
        if (!APP_PATH.matcher(path).matches()) {
            throw HttpProblem.badRequest("path: a page of this site, starting with one \"/\" (e.g. \"/runs/abc\")",
                    "path");
        }
        String page = path.split("\\?", 2)[0];
        if (NOT_PAGES.stream().anyMatch(p -> page.equals(p) || page.startsWith(p + "/"))) {
            throw HttpProblem.badRequest("path: a page students can open: not the API, a file, /class or /teacher",
                    "path");
        }
        Object t = body.get("t");
        if (t != null && !(t instanceof Integer i && i >= 0 && i <= MAX_T)) {
            throw HttpProblem.badRequest("t: the player's step, a whole number in [0, " + MAX_T + "], or null", "t");
        }
        Object playing = body.getOrDefault("playing", false);
        if (!(playing instanceof Boolean)) {
            throw HttpProblem.badRequest("playing: true or false", "playing");
        }
        Object speed = body.getOrDefault("speed", 1.0);
        if (!(speed instanceof Number n) || !SPEEDS.contains(n.doubleValue())) {
            throw HttpProblem.badRequest("speed: one of " + SPEEDS, "speed");
        }
        return new Presentation(path, (Integer) t, (Boolean) playing, ((Number) speed).doubleValue());
    }
}
