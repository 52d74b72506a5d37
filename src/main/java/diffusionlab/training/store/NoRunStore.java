package diffusionlab.training.store;

import diffusionlab.training.RunHistory;
import java.util.List;
import java.util.Optional;

/** {@link RunStore#none()}: writes go nowhere, loads find nothing. Tests extend it with what they watch. */
class NoRunStore implements RunStore {
    static final NoRunStore INSTANCE = new NoRunStore();

    NoRunStore() {
    }

    @Override
    public void write(RunChanges changes) {
    }

    @Override
    public boolean delete(String id) {
        return false;
    }

    @Override
    public List<StoredRun> loadRuns() {
        return List.of();
    }

    @Override
    public RunHistory loadHistory(String id) {
        return RunHistory.EMPTY;
    }

    @Override
    public Optional<Checkpoint> loadCheckpoint(String id) {
        return Optional.empty();
    }

    @Override
    public Optional<float[]> loadWeights(String id, boolean ema) {
        return Optional.empty();
    }

    @Override
    public String description() {
        return "no storage (runs last as long as the process)";
    }

    @Override
    public void close() {
    }
}
