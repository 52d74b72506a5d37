package diffusionlab.web.classroom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import diffusionlab.training.SharedDocument;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value every web instance of the class shares, kept as JSON in a {@link SharedDocument}: {@link #set} stores it
 * (nothing changes here if that fails) and then holds it; a version heard from another instance (or this one's
 * own, heard again) is taken only if its {@code seq} is higher than the one held, so late or repeated notices
 * change nothing. {@code onChange} runs with each value taken, under this object's lock, so changes reach it one
 * at a time and in order.
 */
final class SharedValue<T> {
    /** What runs with each value taken, and its version. */
    interface OnChange<T> {
        void changed(long seq, T value);
    }

    private static final Logger LOG = LoggerFactory.getLogger(SharedValue.class);

    private final ObjectMapper mapper;
    private final SharedDocument document;
    private final Class<T> type;
    private final OnChange<T> onChange;
    private T value;
    private long seq;

    SharedValue(ObjectMapper mapper, SharedDocument document, Class<T> type, T initial, OnChange<T> onChange) {
        this.mapper = mapper;
        this.document = document;
        this.type = type;
        this.onChange = onChange;
        this.value = initial;
        document.subscribe(this::heard);
    }

    synchronized T get() {
        return value;
    }

    /** Stores {@code next} for every instance, then holds it (unless a newer one was heard meanwhile). */
    synchronized void set(T next) {
        String body;
        try {
            body = mapper.writeValueAsString(next);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a shared value always serialises", e);
        }
        take(document.publish(body).seq(), next);
    }

    /** {@link #set} of a value made from the one held, in one step. */
    synchronized void update(UnaryOperator<T> change) {
        set(change.apply(value));
    }

    private synchronized void heard(SharedDocument.Version version) {
        if (version.seq() <= seq) {
            return;
        }
        try {
            take(version.seq(), mapper.readValue(version.body(), type));
        } catch (JsonProcessingException e) {
            LOG.warn("a shared {} that is not one ({}): {}", type.getSimpleName(), e.getOriginalMessage(),
                    version.body());
        }
    }

    private void take(long version, T next) {
        if (version <= seq) {
            return;
        }
        seq = version;
        value = next;
        onChange.changed(version, next);
    }
}
