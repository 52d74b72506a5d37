package diffusionlab.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process of the app ({@code serve --role all|web|worker}) in a child JVM with this JVM's class path (the
 * jar, when run with {@code java -jar}), its output in a log file: for {@code bench-scale} and the scale-out
 * test, which start a web instance and workers on one machine and kill them.
 */
public final class AppProcess implements AutoCloseable {
    private final String role;
    private final Process process;
    private final Path log;
    private final int port;

    private AppProcess(String role, Process process, Path log, int port) {
        this.role = role;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts {@code serve --role role} on a free port with these variables on top of this process's environment
     * (a worker serves nothing, but a port costs nothing).
     */
    public static AppProcess start(String role, Map<String, String> env, Path log) {
        return start(role, env, log, freePort());
    }

    /** The same on a given port (e.g. a web instance restarted where its viewers reconnect). */
    public static AppProcess start(String role, Map<String, String> env, Path log, int port) {
        List<String> command = new ArrayList<>(List.of(LiveBenchCommand.javaExecutable(),
                "--add-modules=jdk.incubator.vector", "-Xmx384m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), "diffusionlab.Main", "serve", "--role", role));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())); // a fresh log: its lines are awaited
        builder.environment().putAll(env);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("OMP_NUM_THREADS", "1");
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            return new AppProcess(role, builder.start(), log, port);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start serve --role " + role, e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String role() {
        return role;
    }

    /** The process's output so far. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Waits until the output contains {@code text}; false when the process ends or the time passes first. */
    public boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                return output().contains(text);
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** SIGKILL: no shutdown hook, no last checkpoint. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, and waits for the process to end (its shutdown hook gives its runs up). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(Duration.ofSeconds(40).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
