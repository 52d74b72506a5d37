package diffusionlab.training;

import static diffusionlab.training.RunFixtures.await;
import static diffusionlab.training.RunFixtures.awaitEnd;
import static diffusionlab.training.RunFixtures.small;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.training.store.CheckpointPolicy;
import diffusionlab.training.store.DatabaseTarget;
import diffusionlab.training.store.JdbcRunStore;
import diffusionlab.training.store.PostgresTestDatabase;
import diffusionlab.training.store.PrunePolicy;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Runs outlive the registry on PostgreSQL too: a finished run is viewable, a training one resumes. */
@Tag("postgres")
class PostgresRegistryTest {
    private DatabaseTarget target;

    @BeforeEach
    void emptyDatabase() {
        target = PostgresTestDatabase.fresh();
    }

    private RunRegistry open() {
        return new RunRegistry(1, JdbcRunStore.open(target), new CheckpointPolicy(20_000, 1_000), PrunePolicy.KEEP_ALL);
    }

    @Test
    void aFinishedRunIsViewableAndATrainingOneResumesAfterARestart() {
        String finishedId;
        String trainingId;
        RunSnapshot before;
        try (RunRegistry registry = open()) {
            Run finished = registry.create(small("finished", 3000), "owner-f");
            finishedId = finished.id();
            awaitEnd(finished, 60_000);
            assertTrue(registry.flushStore(Duration.ofSeconds(10)));
            before = finished.snapshot();
            Run training = registry.create(small("training", 150_000), "owner-t");
            trainingId = training.id();
            await(training, s -> s.step() >= 40_000, 60_000);
        }
        try (RunRegistry registry = open()) {
            Run finished = registry.get(finishedId).orElseThrow();
            assertEquals(RunState.DONE, finished.state());
            RunSnapshot after = finished.snapshot();
            assertArrayEquals(before.history().lossValues(), after.history().lossValues());
            assertNotNull(after.history().picture(PictureKind.SAMPLES, RunEvent.Samples.class));
            assertArrayEquals(before.history().picture(PictureKind.SAMPLES, RunEvent.Samples.class).cloud(), after.history().picture(PictureKind.SAMPLES, RunEvent.Samples.class).cloud());
            assertTrue(finished.storedWeights(true).isPresent());

            Run training = registry.get(trainingId).orElseThrow();
            assertEquals("owner-t", training.ownerHash());
            assertTrue(training.status().step() >= 40_000);
            RunStatus end = awaitEnd(training, 120_000);
            assertEquals(RunState.DONE, end.state(), end.toString());
            assertEquals(150_000, end.step());
            assertEquals(2000, training.history().lossSteps().length);
        }
    }
}
