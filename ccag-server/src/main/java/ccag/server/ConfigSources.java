package ccag.server;

import io.dropwizard.configuration.ConfigurationSourceProvider;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a configuration from a file, or from the classpath for {@code classpath:…} paths (the built-in default). */
final class ConfigSources implements ConfigurationSourceProvider {
    static final String CLASSPATH_PREFIX = "classpath:";

    @Override
    public InputStream open(String path) throws IOException {
        if (path.startsWith(CLASSPATH_PREFIX)) {
            String resource = path.substring(CLASSPATH_PREFIX.length());
            InputStream in = ConfigSources.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new FileNotFoundException("built-in configuration " + resource + " is missing from the jar");
            }
            return in;
        }
        try {
            return Files.newInputStream(Path.of(path));
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException("configuration file not found: " + path);
        }
    }
}
