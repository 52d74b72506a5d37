package diffusionlab.web.pages;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffusionlab.web.TestServer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sign-in form: without its script, the teacher key never travels in a URL. */
class TeacherPageTest {
    @RegisterExtension
    static final TestServer server = TestServer.start(TestServer.SETTINGS.withAdminToken("teacher-key-0123456789"));

    @Test
    void theKeysInputHasNoNameAndItsFormPosts() {
        String html = server.get("/teacher").body();
        String form = find(html, "<form id=\"teacher-form\"[^>]*>");
        String input = find(html, "<input[^>]*id=\"teacher-token\"[^>]*>");
        assertTrue(form.contains("method=\"post\""), form);
        assertFalse(input.contains("name="), input);
        assertTrue(input.contains("type=\"password\""), input);
    }

    private static String find(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        assertTrue(m.find(), regex);
        return m.group();
    }
}
