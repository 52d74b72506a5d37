package diffusionlab.cli;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;

/**
 * A benchmark's client of the live socket: it asks for one frame at a time, joins the frames of each text
 * message, and hands every whole message to {@link #message} with the wall-clock time its last frame arrived.
 */
abstract class WholeMessages implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    /** A whole text message, and when it arrived (epoch milliseconds). Called on the socket's thread. */
    abstract void message(String text, long arrivedMillis);

    @Override
    public void onOpen(WebSocket socket) {
        socket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            long arrived = System.currentTimeMillis();
            String text = partial.toString();
            partial.setLength(0);
            message(text, arrived);
        }
        socket.request(1);
        return null;
    }
}
