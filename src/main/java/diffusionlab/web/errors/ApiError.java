package diffusionlab.web.errors;

/** The body of every API error: what is wrong (and the allowed range), and the field to blame, if one is. */
public record ApiError(String error, String field) {
}
