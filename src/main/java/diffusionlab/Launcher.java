package diffusionlab;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes {@code java -jar diffusion-lab.jar} just work: the fused kernels need the incubating Vector API
 * module and ND4J wants OMP_NUM_THREADS=1 before the JVM starts, neither of which a jar manifest can
 * ask for. When they are missing, the jar starts itself once more with them and passes its exit code
 * through; the child exits when the parent dies (so {@code kill -9} of the parent leaves nothing behind).
 */
final class Launcher {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String CHILD_MARKER = "DIFFUSIONLAB_CHILD";
    /**
     * Training allocates nothing per step, so a small heap and the serial collector cost no speed and keep
     * the process small (the JVM would otherwise reserve a quarter of the machine's memory).
     */
    private static final List<String> SMALL_FOOTPRINT = List.of("-Xms16m", "-Xmx384m", "-XX:+UseSerialGC",
            "-XX:MaxDirectMemorySize=64m", "-Dorg.bytedeco.javacpp.maxbytes=256m");
    /**
     * An OutOfMemoryError would land on whichever thread allocates next (another user's run, the store writer)
     * and leave a half-working server behind; exiting instead lets the platform restart the app, and its runs
     * resume from their last checkpoint.
     */
    static final String EXIT_ON_OUT_OF_MEMORY = "-XX:+ExitOnOutOfMemoryError";

    private Launcher() {
    }

    static boolean needsRelaunch() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty() && System.getenv(CHILD_MARKER) == null;
    }

    /** Runs this program again in a child JVM with the module and environment it needs; returns its exit code. */
    static int relaunch(String[] args) {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> command = command(java, ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.class.path"), args);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(CHILD_MARKER, "1");
        builder.environment().putIfAbsent("OMP_NUM_THREADS", "1");
        try {
            Process child = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
            return child.waitFor();
        } catch (Exception e) {
            System.err.println("error: could not start the JVM with --add-modules=" + VECTOR_MODULE + ": " + e.getMessage());
            return 1;
        }
    }

    /** The child's command line: this JVM's flags ({@code given}) plus the module and the ones it lacks. */
    static List<String> command(String java, List<String> given, String classPath, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("--add-modules=" + VECTOR_MODULE);
        if (given.stream().noneMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxRAM"))) {
            command.addAll(SMALL_FOOTPRINT);
        }
        if (given.stream().noneMatch(a -> a.contains("OnOutOfMemoryError"))) {
            command.add(EXIT_ON_OUT_OF_MEMORY);
        }
        command.addAll(given);
        command.add("-cp");
        command.add(classPath);
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** In a relaunched child: exit as soon as the parent is gone. */
    static void exitWithParent() {
        if (System.getenv(CHILD_MARKER) == null) {
            return;
        }
        ProcessHandle.current().parent().ifPresent(parent ->
                parent.onExit().thenRun(() -> Runtime.getRuntime().halt(143)));
    }
}
