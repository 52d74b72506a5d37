package diffusionlab.training.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * The documents the web instances share (table {@code dl_shared}, migration V3; PostgreSQL): a change raises the
 * row's {@code seq} by one and is announced on {@link #CHANNEL} in the same transaction, with its text inline, so
 * an instance that hears it needs no read. Used through {@code diffusionlab.training.SharedDocument}.
 */
public final class SharedRows {
    /** Every change of a shared document: {@code {"name": …, "seq": …, "body": …}}. */
    public static final String CHANNEL = "dl_shared";
    /** The longest text a document holds (the column's size). */
    public static final int MAX_BODY = 4000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A document's version as stored, or as a notice carries it. */
    public record Row(String name, long seq, String body) {
        public String json() {
            ObjectNode n = JSON.createObjectNode();
            n.put("name", name);
            n.put("seq", seq);
            n.put("body", body);
            return n.toString();
        }

        public static Row parse(String payload) {
            try {
                JsonNode n = JSON.readTree(payload);
                return new Row(n.get("name").asText(), n.get("seq").asLong(), n.get("body").asText());
            } catch (JsonProcessingException | RuntimeException e) {
                throw new IllegalArgumentException("not a shared document: " + payload, e);
            }
        }
    }

    private final Database db;

    SharedRows(Database db) {
        this.db = db;
    }

    /** Stores {@code body} as the next version of {@code name} and announces it; that version. */
    public Row publish(String name, String body) {
        if (body.length() > MAX_BODY) {
            throw new IllegalArgumentException("a shared document holds at most " + MAX_BODY + " characters");
        }
        return db.transaction(c -> {
            long seq;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO dl_shared (name, seq, body) VALUES (?, 1, ?) "
                    + "ON CONFLICT (name) DO UPDATE SET seq = dl_shared.seq + 1, body = EXCLUDED.body RETURNING seq")) {
                p.setString(1, name);
                p.setString(2, body);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    seq = rs.getLong(1);
                }
            }
            Row row = new Row(name, seq, body);
            String notice = row.json();
            if (notice.getBytes(StandardCharsets.UTF_8).length > LiveNotice.MAX_BYTES) {
                throw new IllegalArgumentException("a shared document's notice holds at most " + LiveNotice.MAX_BYTES
                        + " bytes");
            }
            RunQueue.notify(c, CHANNEL, notice);
            return row;
        });
    }

    /** The stored version of {@code name}, if it was ever published. */
    public Optional<Row> load(String name) {
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT seq, body FROM dl_shared WHERE name = ?")) {
                p.setString(1, name);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(new Row(name, rs.getLong(1), rs.getString(2))) : Optional.<Row>empty();
                }
            }
        });
    }
}
