package dev.tether.linux;

import dev.tether.linux.libc.Errno;
import dev.tether.linux.libc.LibC;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Java streams over the caller's end of a pipe to a child, reading and writing the descriptor
 * directly. Blocking calls: use them from platform threads (a virtual thread would pin its carrier).
 * Limit: closing a stream while another thread is blocked reading it does not wake that reader;
 * it returns when the child closes its end (e.g. exits).
 */
final class FdStreams {
    private static final int CHUNK = 64 * 1024;

    private FdStreams() {}

    static InputStream input(int fd) {
        return new FdInput(fd);
    }

    static OutputStream output(int fd) {
        return new FdOutput(fd);
    }

    private static final class FdInput extends InputStream {
        private final int fd;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final MemorySegment buffer = Arena.ofAuto().allocate(CHUNK);

        FdInput(int fd) {
            this.fd = fd;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (closed.get()) {
                throw new IOException("stream closed");
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                long n = LibC.read(fd, buffer, Math.min(len, CHUNK));
                if (n < 0) {
                    int err = LibC.errno();
                    if (err == Errno.EINTR) {
                        continue;
                    }
                    throw new IOException("read from child pipe failed: " + Errno.name(err));
                }
                if (n == 0) {
                    return -1;
                }
                MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, b, off, (int) n);
                return (int) n;
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                LibC.close(fd);
            }
        }
    }

    private static final class FdOutput extends OutputStream {
        private final int fd;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final MemorySegment buffer = Arena.ofAuto().allocate(CHUNK);

        FdOutput(int fd) {
            this.fd = fd;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (closed.get()) {
                throw new IOException("stream closed");
            }
            while (len > 0) {
                int chunk = Math.min(len, CHUNK);
                MemorySegment.copy(b, off, buffer, ValueLayout.JAVA_BYTE, 0, chunk);
                long n = LibC.write(fd, buffer, chunk);
                if (n < 0) {
                    int err = LibC.errno();
                    if (err == Errno.EINTR) {
                        continue;
                    }
                    throw new IOException("write to child pipe failed: " + Errno.name(err));
                }
                off += (int) n;
                len -= (int) n;
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                LibC.close(fd);
            }
        }
    }
}
