package ccag.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** The user's terminal, when there is one: used only to ask for a password without echo. */
interface Terminal {
    /** Whether a person can be prompted (stdin and stdout are a terminal). */
    boolean interactive();

    /** Prompts and reads a line without echo; null at end of input. */
    char[] readPassword(String prompt);

    /** No terminal: scripts, CI, tests. */
    Terminal NONE = new Terminal() {
        @Override
        public boolean interactive() {
            return false;
        }

        @Override
        public char[] readPassword(String prompt) {
            return null;
        }
    };

    /** The process's console, if it is a real terminal. */
    static Terminal system() {
        Console console = System.console();
        if (console == null || !isTerminal(console)) {
            return NONE;
        }
        return new Terminal() {
            @Override
            public boolean interactive() {
                return true;
            }

            @Override
            public char[] readPassword(String prompt) {
                return console.readPassword("%s", prompt);
            }
        };
    }

    /**
     * From JDK 22 on, System.console() is non-null even when redirected; Console.isTerminal() (22+) tells
     * the truth there. Called reflectively because ccagctl compiles for Java 17, where a non-null console
     * already means a terminal.
     */
    private static boolean isTerminal(Console console) {
        try {
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
