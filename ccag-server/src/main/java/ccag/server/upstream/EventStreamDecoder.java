package ccag.server.upstream;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import software.amazon.eventstream.Message;

/**
 * Incremental decoder of {@code application/vnd.amazon.eventstream} frames: bytes go in as they
 * arrive, whole frames come out. Its buffer starts small and grows only to the largest frame seen
 * (the SDK's own decoder holds 2 MiB per stream from the start). Each complete frame is decoded by
 * {@link Message#decode(ByteBuffer)}, which checks both CRCs.
 */
final class EventStreamDecoder {
    /** Prelude: total length, headers length, prelude CRC. */
    static final int PRELUDE = 12;
    /** Prelude plus the trailing message CRC. */
    static final int OVERHEAD = 16;
    /** The limits of the format's Java decoder (eventstream 1.0.1): 128 KiB of headers, 24 MiB of payload. */
    static final int MAX_HEADERS = 128 * 1024;
    static final int MAX_FRAME = OVERHEAD + MAX_HEADERS + 24 * 1024 * 1024;
    /** Bedrock's chunk frames are a few hundred bytes; larger ones grow the buffer. */
    static final int INITIAL_CAPACITY = 1024;

    private byte[] buf = new byte[INITIAL_CAPACITY];
    private int len;
    private int frameLength = -1;

    /** Consumes all of {@code in}, handing every completed frame to {@code out}; throws on a corrupt frame. */
    void feed(ByteBuffer in, Consumer<Message> out) {
        while (in.hasRemaining()) {
            int need = frameLength < 0 ? PRELUDE : frameLength;
            int n = Math.min(in.remaining(), need - len);
            in.get(buf, len, n);
            len += n;
            if (len < need) {
                continue;
            }
            if (frameLength < 0) {
                frameLength = checkedPrelude();
                if (frameLength > buf.length) {
                    byte[] bigger = new byte[frameLength];
                    System.arraycopy(buf, 0, bigger, 0, len);
                    buf = bigger;
                }
                continue;
            }
            Message m = Message.decode(ByteBuffer.wrap(buf, 0, frameLength));
            len = 0;
            frameLength = -1;
            out.accept(m);
        }
    }

    /** True when part of a frame has been read but not all of it. */
    boolean midFrame() {
        return len > 0;
    }

    /** The buffer's current size: as large as the largest frame so far, at least the initial size. */
    int capacity() {
        return buf.length;
    }

    /** The frame's total length, once the prelude's CRC shows it is not noise. */
    private int checkedPrelude() {
        ByteBuffer p = ByteBuffer.wrap(buf, 0, PRELUDE);
        long total = Integer.toUnsignedLong(p.getInt());
        long headers = Integer.toUnsignedLong(p.getInt());
        long crc = Integer.toUnsignedLong(p.getInt());
        CRC32 computed = new CRC32();
        computed.update(buf, 0, 8);
        if (computed.getValue() != crc) {
            throw new IllegalArgumentException(String.format("Prelude checksum failure: expected 0x%08x, computed 0x%08x",
                    crc, computed.getValue()));
        }
        if (total < OVERHEAD || total > MAX_FRAME || headers > MAX_HEADERS || headers > total - OVERHEAD) {
            throw new IllegalArgumentException("Invalid event stream frame: total length " + total + ", headers length " + headers);
        }
        return (int) total;
    }
}
