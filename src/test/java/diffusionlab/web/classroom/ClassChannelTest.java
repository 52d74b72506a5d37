package diffusionlab.web.classroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.training.SharedDocument;
import diffusionlab.web.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The class's presenter state and switches over a shared document, as another web instance changes it. */
class ClassChannelTest {
    /** A document another instance also writes: {@link #elsewhere} delivers a version as a notice would. */
    private static final class Document implements SharedDocument {
        final List<Consumer<Version>> subscribers = new ArrayList<>();
        long seq;
        boolean away;

        @Override
        public Version publish(String body) {
            if (away) {
                throw new IllegalStateException("the database is away");
            }
            return new Version(++seq, body);
        }

        @Override
        public void subscribe(Consumer<Version> subscriber) {
            subscribers.add(subscriber);
        }

        void elsewhere(long seq, String body) {
            subscribers.forEach(s -> s.accept(new Version(seq, body)));
        }
    }

    @Test
    void aChangeHeardFromAnotherInstanceReachesTheFollowersAndAnOlderOneIsIgnored() {
        Document document = new Document();
        ClassChannel channel = new ClassChannel(Json.mapper(), document);
        List<String> heard = new ArrayList<>();
        channel.follow(heard::add);

        document.elsewhere(5, "{\"presentation\": {\"path\": \"/lesson/ddpm\", \"t\": 4, \"playing\": false, "
                + "\"speed\": 1.0}, \"ended\": false}");
        document.elsewhere(3, "{\"presentation\": {\"path\": \"/lesson/data\", \"t\": null, \"playing\": false, "
                + "\"speed\": 1.0}, \"ended\": false}");
        document.elsewhere(5, "{\"presentation\": null, \"ended\": true}");

        assertEquals(2, heard.size(), "the state on follow, then the one newer change: " + heard);
        assertEquals("/lesson/ddpm", channel.state().path());
        assertEquals(5, channel.state().seq());
    }

    @Test
    void aChangeThatCannotBeStoredChangesNothing() {
        Document document = new Document();
        ClassChannel channel = new ClassChannel(Json.mapper(), document);
        channel.present(new Presentation("/runs/abc", 7, true, 1.0));
        List<String> heard = new ArrayList<>();
        channel.follow(heard::add);
        document.away = true;

        assertThrows(IllegalStateException.class, channel::end);
        assertTrue(channel.presenting());
        assertEquals(1, heard.size(), "only the state on follow");
    }

    @Test
    void settingsHeardFromAnotherInstanceHoldHere() {
        Document document = new Document();
        ClassSettings settings = new ClassSettings(Json.mapper(), document);
        settings.set(new ClassSettings.View(true, 3));

        document.elsewhere(2, "{\"studentsMayStart\": false, \"activeRunsPerClient\": null}");
        document.elsewhere(1, "{\"studentsMayStart\": true, \"activeRunsPerClient\": 3}");

        assertFalse(settings.studentsMayStart());
        assertTrue(settings.activeRunsPerClient().isEmpty());
    }
}
