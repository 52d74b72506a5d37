package diffusionlab.training;

import diffusionlab.training.store.CheckpointPolicy;
import diffusionlab.training.store.JdbcRunStore;
import diffusionlab.training.store.PrunePolicy;
import diffusionlab.training.store.StoreSettings;
import diffusionlab.training.store.StoredRun;

/**
 * The process {@link KillDuringTrainingTest} kills: on DATA_DIR {@code args[0]} it trains a short run to the end
 * ("FINISHED id"), then a long one ({@code args[1]} steps), printing "RUN id", its step ("STEP n") every 20 ms
 * and each checkpoint the store has committed ("CHECKPOINT n", read back through a second connection).
 */
public final class TrainingChild {
    static final CheckpointPolicy POLICY = new CheckpointPolicy(10_000, 1_000);

    private TrainingChild() {
    }

    public static void main(String[] args) throws Exception {
        StoreSettings settings = new StoreSettings(java.nio.file.Path.of(args[0]), null, POLICY, PrunePolicy.KEEP_ALL);
        RunRegistry registry = RunRegistry.open(1, settings);
        Run finished = registry.create(RunFixtures.small("finished before the kill", 2000), "owner-a");
        while (!finished.state().isTerminal()) {
            Thread.sleep(5);
        }
        System.out.println("FINISHED " + finished.id() + " " + finished.state());
        Run run = registry.create(RunFixtures.small("killed mid-training", Long.parseLong(args[1])), "owner-b");
        System.out.println("RUN " + run.id());
        try (JdbcRunStore reader = JdbcRunStore.open(settings.target())) {
            long seen = -1;
            while (true) {
                System.out.println("STEP " + run.status().step());
                for (StoredRun s : reader.loadRuns()) {
                    if (s.id().equals(run.id()) && s.checkpointStep() > seen) {
                        seen = s.checkpointStep();
                        System.out.println("CHECKPOINT " + seen);
                    }
                }
                System.out.flush();
                Thread.sleep(20);
            }
        }
    }
}
