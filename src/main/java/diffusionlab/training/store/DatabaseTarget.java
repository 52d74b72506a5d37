package diffusionlab.training.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Which database to use and how to log in: the embedded H2 file under DATA_DIR, or the PostgreSQL server
 * of {@code DATABASE_URL} in the PaaS convention {@code postgres://user:password@host:port/db[?params]}
 * (also {@code postgresql://}, or a {@code jdbc:postgresql:} URL as is). {@code file} is the embedded
 * database's file, which is the app's alone (null for a server). {@link #toString} never shows the password.
 */
public record DatabaseTarget(String jdbcUrl, String user, String password, String description, Path file) {
    /** The H2 file's name under DATA_DIR (H2 adds {@code .mv.db}). */
    public static final String H2_FILE = "diffusionlab";

    /**
     * The embedded database in {@code dataDir}; the app closes it itself on shutdown (DB_CLOSE_ON_EXIT=FALSE).
     * H2 writes commits from a background thread, which also reuses the space of overwritten checkpoints once
     * they are RETENTION_TIME old: 5 s instead of 45 s keeps the file near its live size while runs checkpoint
     * every few seconds. The writes a killed process must not lose are forced to disk by the store itself
     * ({@code CHECKPOINT SYNC}, see {@link JdbcRunStore}).
     */
    public static DatabaseTarget h2(Path dataDir) {
        Path file = dataDir.toAbsolutePath().normalize().resolve(H2_FILE);
        return new DatabaseTarget("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;RETENTION_TIME=5000", "sa", "",
                "H2 file " + file + ".mv.db", file.resolveSibling(H2_FILE + ".mv.db"));
    }

    /** Parses DATABASE_URL; an unusable value is an {@link IllegalArgumentException} saying what is expected. */
    public static DatabaseTarget fromUrl(String url) {
        String value = url.strip();
        if (value.startsWith("jdbc:postgresql:")) {
            return new DatabaseTarget(value, null, null, "PostgreSQL " + withoutQuery(value.substring(5)), null);
        }
        if (!value.startsWith("postgres://") && !value.startsWith("postgresql://")) {
            throw invalid("it starts with neither postgres://, postgresql:// nor jdbc:postgresql:");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw invalid("it is not a valid URL (" + e.getReason() + ")");
        }
        String host = uri.getHost();
        String path = uri.getRawPath();
        if (host == null || host.isEmpty()) {
            throw invalid("it names no host");
        }
        if (path == null || path.length() < 2) {
            throw invalid("it names no database (…/dbname)");
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String jdbc = "jdbc:postgresql://" + hostPart + ":" + port + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        return new DatabaseTarget(jdbc, user, password, "PostgreSQL //" + hostPart + ":" + port + path, null);
    }

    public boolean isH2() {
        return jdbcUrl.startsWith("jdbc:h2:");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String withoutQuery(String s) {
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("$DATABASE_URL must look like postgres://user:password@host:5432/dbname "
                + "(or postgresql://…, or jdbc:postgresql:…), but " + why);
    }

    @Override
    public String toString() {
        return description;
    }
}
