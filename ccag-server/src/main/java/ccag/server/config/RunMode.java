package ccag.server.config;

/** {@code dev}: embedded defaults for trying CCAG on a laptop. {@code server}: production, nothing implicit. */
public enum RunMode {
    DEV,
    SERVER
}
