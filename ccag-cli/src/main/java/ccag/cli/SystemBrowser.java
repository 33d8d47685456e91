package ccag.cli;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Starts the user's browser: {@code $BROWSER} (a command, {@code %s} for the URL), else xdg-open or open. */
final class SystemBrowser {
    private SystemBrowser() {
    }

    static boolean open(String browserVariable, String url) {
        if (browserVariable != null && !browserVariable.isBlank()) {
            // $BROWSER may list several commands separated by ':'; the first that starts wins.
            for (String candidate : browserVariable.split(":")) {
                if (!candidate.isBlank() && start(command(candidate.trim(), url))) {
                    return true;
                }
            }
            return false;
        }
        boolean mac = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
        for (String tool : mac ? List.of("open") : List.of("xdg-open", "wslview", "open")) {
            if (onPath(tool) && start(List.of(tool, url))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> command(String template, String url) {
        List<String> parts = new ArrayList<>(List.of(template.split("\\s+")));
        boolean placed = false;
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).contains("%s")) {
                parts.set(i, parts.get(i).replace("%s", url));
                placed = true;
            }
        }
        if (!placed) {
            parts.add(url);
        }
        return parts;
    }

    private static boolean start(List<String> command) {
        try {
            // The browser's own output must not reach ccagctl's stdout, which carries only the token.
            new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(devNull()))
                    .start();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static File devNull() {
        return new File(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win") ? "NUL" : "/dev/null");
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
