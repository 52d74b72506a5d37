package diffusionlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LauncherTest {
    @Test
    void theRelaunchedJvmExitsOnOutOfMemoryRatherThanLimpOn() {
        List<String> command = Launcher.command("java", List.of("-Xmx256m"), "app.jar", new String[] {"serve"});
        assertTrue(command.contains(Launcher.EXIT_ON_OUT_OF_MEMORY), command.toString());
        assertEquals(List.of("-cp", "app.jar", Main.class.getName(), "serve"),
                command.subList(command.size() - 4, command.size()));
    }

    @Test
    void anOutOfMemoryFlagGivenByHandIsKept() {
        List<String> given = List.of("-XX:OnOutOfMemoryError=kill -9 %p");
        List<String> command = Launcher.command("java", given, "app.jar", new String[0]);
        assertEquals(0, Collections.frequency(command, Launcher.EXIT_ON_OUT_OF_MEMORY), command.toString());
        assertTrue(command.containsAll(given));
    }

    @Test
    void theProcfileExitsOnOutOfMemoryToo() throws Exception {
        String procfile = Files.readString(Path.of("Procfile"));
        assertTrue(procfile.contains(" " + Launcher.EXIT_ON_OUT_OF_MEMORY + " "), procfile);
    }
}
