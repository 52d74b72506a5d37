package diffusionlab.training;

import java.util.Locale;

/**
 * The pictures a run draws, one enum for every layer: the training sample x₀ behind everything, the forward
 * frames q(x_t | x₀), the reverse chain p_θ(x_{t−1} | x_t) at the dashboard's frames and its motion (a few
 * particles through every state of the same chain), the learned score field, samples of the current model, and
 * its sample quality against the number of sampling steps ({@link QualitySweep}). The id names a picture in the
 * store, on the wire and in the browser; the order is the order a viewer receives them in.
 */
public enum PictureKind {
    DATA, FORWARD, REVERSE, MOTION, FIELD, SAMPLES, QUALITY;

    private static final PictureKind[] ALL = values();

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind with this id, or null. */
    public static PictureKind byId(String id) {
        for (PictureKind kind : ALL) {
            if (kind.id().equals(id)) {
                return kind;
            }
        }
        return null;
    }
}
