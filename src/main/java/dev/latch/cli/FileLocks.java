package dev.latch.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive locks on lock files, shared by every {@code latch} process of this user: kubectl,
 * Lens and the AWS CLI start many helpers at once, and they must not all call the portal (or spend
 * the same rotating refresh token, which the portal treats as theft).
 *
 * <p>An OS file lock ({@link FileChannel#lock()}) is held per process, not per thread, and a second
 * lock on the same file in one JVM throws; so threads of one process first queue on an in-process
 * lock per file. Used with try-with-resources; no lambdas, to keep start-up cheap.
 */
final class FileLocks {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private FileLocks() {
    }

    /** A held lock; closing it releases the file lock, then the in-process one. */
    static final class Held implements AutoCloseable {
        private final ReentrantLock local;
        private final FileChannel channel;

        private Held(ReentrantLock local, FileChannel channel) {
            this.local = local;
            this.channel = channel;
        }

        @Override
        public void close() {
            try {
                if (channel != null) {
                    channel.close(); // releases the OS lock
                }
            } catch (IOException ignored) {
                // the OS drops the lock with the descriptor anyway
            } finally {
                local.unlock();
            }
        }
    }

    /** Blocks until this process holds {@code lockFile} exclusively (creating it 0600 if needed). */
    static Held acquire(Path lockFile) {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.get(key);
        if (local == null) {
            ReentrantLock fresh = new ReentrantLock();
            local = IN_PROCESS.putIfAbsent(key, fresh);
            if (local == null) {
                local = fresh;
            }
        }
        local.lock();
        if (local.getHoldCount() > 1) {
            return new Held(local, null); // this thread already holds the file lock
        }
        FileChannel channel = null;
        try {
            StateStore.createPrivateDirectories(key.getParent());
            channel = POSIX && !Files.exists(key)
                    ? FileChannel.open(key, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock ignored = channel.lock();
            return new Held(local, channel);
        } catch (IOException | RuntimeException e) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // nothing more to release
            }
            local.unlock();
            throw new CliException("Could not lock " + key + ": " + e.getMessage());
        }
    }
}
