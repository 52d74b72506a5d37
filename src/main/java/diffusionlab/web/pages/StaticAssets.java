package diffusionlab.web.pages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of {@code static/} under a URL that names their content: {@code /static/<hash>/js/form.js}. A browser
 * may keep them for a year without asking again (a new release has a new hash), so a page that was seen once
 * loads its scripts from its cache. {@link #preloads} lists the ES modules a page's script imports, directly or
 * not, so that the page can ask for them all at once instead of one import level after the other.
 */
public final class StaticAssets {
    /** {@code import ... from './x.js'} at the start of a line of a module. */
    private static final Pattern IMPORT = Pattern.compile("^import\\s[^;]*?from\\s+'\\./([\\w.-]+\\.js)'", Pattern.MULTILINE);

    private final String prefix;
    private final Map<String, List<String>> imports = new TreeMap<>(); // module -> the modules it imports
    private final Map<String, List<String>> preloads = new TreeMap<>(); // module -> URLs of all it needs

    StaticAssets(Map<String, byte[]> files) {
        this.prefix = "/static/" + hash(files);
        files.forEach((name, bytes) -> {
            if (name.endsWith(".js")) {
                List<String> direct = new ArrayList<>();
                Matcher m = IMPORT.matcher(new String(bytes, StandardCharsets.UTF_8));
                String dir = name.substring(0, name.lastIndexOf('/') + 1);
                while (m.find()) {
                    direct.add(dir + m.group(1));
                }
                imports.put(name, direct);
            }
        });
        for (String module : imports.keySet()) { // once here, not on every page
            Set<String> seen = new LinkedHashSet<>();
            collect(module, seen);
            seen.remove(module);
            preloads.put(module, seen.stream().map(this::url).toList());
        }
    }

    /** The files under {@code /static} on the class path (the jar's, or {@code target/classes} in a build). */
    public static StaticAssets fromClasspath() {
        URL root = StaticAssets.class.getResource("/static");
        if (root == null) {
            throw new IllegalStateException("no /static directory on the class path");
        }
        try {
            URI uri = root.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return new StaticAssets(read(jar.getPath("/static")));
                } catch (FileSystemAlreadyExistsException e) { // opened elsewhere: read it, leave it open
                    return new StaticAssets(read(FileSystems.getFileSystem(uri).getPath("/static")));
                }
            }
            return new StaticAssets(read(Path.of(uri)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the static files", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, byte[]> read(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                try (InputStream in = Files.newInputStream(p)) {
                    files.put(dir.relativize(p).toString().replace('\\', '/'), in.readAllBytes());
                }
            }
        }
        return files;
    }

    /** The first 12 hex digits of SHA-256 over every file's name and content, in name order. */
    private static String hash(Map<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(files).forEach((name, bytes) -> {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(bytes);
            });
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the files are served, e.g. {@code /static/3f9a0c1d2e4b}. */
    public String prefix() {
        return prefix;
    }

    /** The URL of one file, e.g. {@code url("js/form.js")}. */
    public String url(String file) {
        return prefix + "/" + file;
    }

    /** The URLs of the modules that {@code script} imports, directly or through others; not the script itself. */
    public List<String> preloads(String script) {
        return preloads.getOrDefault(script, List.of());
    }

    private void collect(String module, Set<String> seen) {
        if (seen.add(module)) {
            imports.getOrDefault(module, List.of()).forEach(m -> collect(m, seen));
        }
    }
}
