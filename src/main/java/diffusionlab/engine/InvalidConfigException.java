package diffusionlab.engine;

/** A configuration value outside its allowed range; names the field so every caller can say which. */
public final class InvalidConfigException extends RuntimeException {
    private final String field;

    public InvalidConfigException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
