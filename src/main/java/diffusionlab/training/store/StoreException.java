package diffusionlab.training.store;

/** The store could not read or write (the database is unreachable, the disk is full, a blob is corrupt). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
