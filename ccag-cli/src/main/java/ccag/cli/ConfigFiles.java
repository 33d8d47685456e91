package ccag.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Where ccagctl keeps its files, and how it writes them: owner-only, all or nothing. */
final class ConfigFiles {
    static final String CONFIG_FILE = "config.json";
    static final String CREDENTIALS_FILE = "credentials.json";

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private ConfigFiles() {
    }

    /** {@code $CCAGCTL_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/ccagctl}, else {@code ~/.config/ccagctl}. */
    static Path configDir(CliEnvironment env) {
        String explicit = env.variable("CCAGCTL_CONFIG_DIR");
        if (explicit != null) {
            return Path.of(explicit).toAbsolutePath();
        }
        String xdg = env.variable("XDG_CONFIG_HOME");
        // The XDG base directory spec says a relative value is invalid and must be ignored.
        if (xdg != null && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "ccagctl");
        }
        return env.home().resolve(".config").resolve("ccagctl");
    }

    /**
     * Replaces {@code file} with {@code content} atomically: a temporary file in the same directory, created
     * owner-only (0600) before any byte is written, synced, then renamed over the target. A reader sees the old
     * file or the new one, never a half-written or briefly world-readable one.
     */
    static void writeAtomically(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = isPosix(dir);
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            } else {
                Files.createDirectories(dir);
            }
        }
        Path tmp = posix
                ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_FILE))
                : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A warning when {@code file} can be read or written by anyone but its owner, else null. */
    static String permissionProblem(Path file) {
        try {
            if (!Files.exists(file) || !isPosix(file)) {
                return null;
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> others = EnumSet.copyOf(perms);
            others.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
            return others.isEmpty() ? null
                    : file + " is accessible to other users (" + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isPosix(Path p) {
        try {
            return (Files.exists(p) ? p.getFileSystem() : FileSystems.getDefault())
                    .supportedFileAttributeViews().contains("posix");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
