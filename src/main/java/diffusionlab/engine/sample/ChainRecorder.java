package diffusionlab.engine.sample;

import diffusionlab.engine.Cancellation;
import java.util.ArrayList;
import java.util.List;

/** A sampler's chain as it goes: keeps the states its {@link ChainRecording} asks for and checks for cancellation. */
final class ChainRecorder {
    private final ChainRecording recording;
    private final Cancellation cancellation;
    private final int steps;
    private final List<float[]> states = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();

    ChainRecorder(ChainRecording recording, Cancellation cancellation, int steps) {
        this.recording = recording;
        this.cancellation = cancellation;
        this.steps = steps;
    }

    /** State k (labelled with its diffusion step or iteration) is x; throws when the chain is cancelled. */
    void record(int k, int label, float[] x) {
        if (k == steps || recording.keeps(k, steps)) {
            states.add(x.clone());
            labels.add(label);
        }
        if (k < steps) {
            cancellation.check();
        }
    }

    Chain chain() {
        return new Chain(states.toArray(new float[0][]), labels.stream().mapToInt(Integer::intValue).toArray());
    }
}
