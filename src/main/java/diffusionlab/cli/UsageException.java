package diffusionlab.cli;

/** A bad command line: printed as one line naming the argument, exit code 2. */
public final class UsageException extends RuntimeException {
    private final String argument;

    public UsageException(String argument, String message) {
        super(message);
        this.argument = argument;
    }

    public String argument() {
        return argument;
    }
}
