package diffusionlab.training.store;

import java.sql.SQLException;

/** Turns a database error into one plain sentence for the run's page and the log. */
final class StoreFaults {
    private StoreFaults() {
    }

    static String describe(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String text = allMessages(e);
        if (text.contains("No space left") || text.contains("disk full") || state.equals("53100")) {
            return "the server's disk is full";
        }
        if (state.equals("08001") || state.equals("08004") || text.contains("Connection refused")) {
            return "the database cannot be reached (" + firstLine(e.getMessage()) + ")";
        }
        if (state.startsWith("08") || text.contains("connection has been closed")) {
            return "the database connection was lost (" + firstLine(e.getMessage()) + ")";
        }
        if (e.getErrorCode() == 90020 || text.contains("already in use")) {
            return "the database file is in use by another process (is another server using the same DATA_DIR?)";
        }
        return "the database refused the operation (" + firstLine(e.getMessage()) + ")";
    }

    /** Whether H2 found its file damaged or not a database at all (FILE_CORRUPTED_1, FILE_VERSION_ERROR_1). */
    static boolean isDamagedFile(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException e && (e.getErrorCode() == 90030 || e.getErrorCode() == 90048)) {
                return true;
            }
        }
        return false;
    }

    private static String allMessages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 4000; c = c.getCause()) {
            sb.append(c.getMessage()).append(' ');
        }
        return sb.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no details";
        }
        String line = message.lines().findFirst().orElse("").strip();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
