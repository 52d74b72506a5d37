package diffusionlab.web.live;

import diffusionlab.training.RunEvent;
import diffusionlab.web.wire.WireFormat;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A run's event goes out to every viewer unchanged (pictures and status are never merged), so its JSON is
 * packed and written once and the text shared: thirty viewers of a frames message cost one encoding, not
 * thirty. Entries are held weakly by the event, so they go as soon as no outbox and no run holds it.
 */
final class SharedEncoding {
    private final WireFormat wire;
    private final Map<RunEvent, String> texts = new WeakHashMap<>();

    SharedEncoding(WireFormat wire) {
        this.wire = wire;
    }

    WireFormat wire() {
        return wire;
    }

    /** The event's text, encoded by the first sender that needs it; the others wait for it rather than redo it. */
    String encode(RunEvent event) {
        synchronized (texts) {
            return texts.computeIfAbsent(event, e -> wire.encode(WireFormat.of(e)));
        }
    }

    /** How many texts are held (for tests). */
    int size() {
        synchronized (texts) {
            return texts.size();
        }
    }
}
