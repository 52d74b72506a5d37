package diffusionlab.engine.sample;

/**
 * Which states of a chain a sampler keeps: a chain of K steps has states 0 (the start) .. K (the samples), and
 * keeping all of them costs K + 1 clouds (5,000 x 2,000 points is 80 MB), so the pictures keep only the
 * states they show. The last state is always kept.
 */
@FunctionalInterface
public interface ChainRecording {
    /** Every state. */
    ChainRecording ALL = (k, steps) -> true;
    /** Only the samples. */
    ChainRecording LAST = (k, steps) -> false;

    /** Whether state k of a chain of {@code steps} steps is kept. */
    boolean keeps(int k, int steps);

    /** The states at these indices. */
    static ChainRecording at(int... indices) {
        return (k, steps) -> {
            for (int i : indices) {
                if (i == k) {
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * Every stride-th state from the first, at most {@code maxStates} with the last: what
     * {@link Chain#trajectories} draws a path through, so the paths of a thinned chain are those of the whole one.
     */
    static ChainRecording thinned(int maxStates) {
        return (k, steps) -> k % Chain.stride(steps + 1, maxStates) == 0;
    }
}
