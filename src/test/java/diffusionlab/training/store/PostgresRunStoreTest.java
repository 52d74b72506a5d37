package diffusionlab.training.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The store contract on a real PostgreSQL server ({@code TEST_DATABASE_URL}). */
@Tag("postgres")
class PostgresRunStoreTest extends RunStoreContract {
    private DatabaseTarget target;

    @BeforeEach
    void openStore() {
        target = PostgresTestDatabase.fresh();
        store = open();
    }

    @Override
    protected JdbcRunStore open() {
        return JdbcRunStore.open(target);
    }

    @Override
    protected DatabaseTarget emptyDatabase() {
        store.close();
        return PostgresTestDatabase.fresh();
    }

    @Test
    void describesTheServerWithoutThePassword() {
        assertTrue(store.description().startsWith("PostgreSQL //"), store.description());
        if (target.password() != null && !target.password().isEmpty()) {
            assertTrue(!store.description().contains(target.password()));
        }
    }

    @Test
    void aServerThatKilledTheConnectionsIsReconnectedToByTheNextWrite() {
        store.write(StoreFixtures.insert("r", 1));
        PostgresTestDatabase.execute(target, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND pid <> pg_backend_pid()");
        RunChanges c = new RunChanges("r");
        c.loss(new long[] {7}, new float[] {7});
        store.write(c);
        assertArrayEquals(new long[] {7}, store.loadHistory("r").lossSteps());
    }

    @Test
    void aDatabaseSharedWithAnotherApplicationGetsOurTablesBesideItsOwn() {
        store.close();
        PostgresTestDatabase.execute(target, "CREATE TABLE people (id INT)");
        try {
            store = open();
            store.write(StoreFixtures.insert("r", 1));
            assertEquals(List.of("r"), store.loadRuns().stream().map(StoredRun::id).toList());
        } finally {
            PostgresTestDatabase.execute(target, "DROP TABLE people");
        }
    }

    @Test
    void processesOpeningAnEmptyDatabaseAtOnceAllComeUp() throws Exception {
        store.close();
        int processes = 8;
        for (int round = 0; round < 8; round++) {
            PostgresTestDatabase.fresh();
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(processes);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(processes);
            try {
                List<java.util.concurrent.Future<JdbcRunStore>> opened = new java.util.ArrayList<>();
                for (int i = 0; i < processes; i++) {
                    opened.add(pool.submit(() -> {
                        together.await();
                        return JdbcRunStore.open(target);
                    }));
                }
                for (java.util.concurrent.Future<JdbcRunStore> f : opened) {
                    f.get().close(); // throws if one of them could not bring the tables up
                }
            } finally {
                pool.shutdownNow();
            }
        }
        store = open();
        store.write(StoreFixtures.insert("r", 1));
        assertEquals(List.of("r"), store.loadRuns().stream().map(StoredRun::id).toList());
    }

    @Test
    void anUnreachableServerIsAClearError() {
        DatabaseTarget nowhere = DatabaseTarget.fromUrl("postgres://u:p@127.0.0.1:1/none?connectTimeout=2");
        StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class,
                () -> JdbcRunStore.open(nowhere));
        assertTrue(e.getMessage().contains("could not open PostgreSQL //127.0.0.1:1/none"), e.getMessage());
        assertTrue(e.getMessage().contains("the database cannot be reached"), e.getMessage());
    }
}
