package dev.switchboard.server.http;

import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncoding;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.http.encoding.ContentEncodingContextConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Content-Encoding}s a request body may come in. {@code gzip} (and its old name
 * {@code x-gzip}) is decompressed as it is read; the body limit ({@code server.max_body_bytes}) applies
 * to the compressed bytes on the wire and again to the decompressed ones, so a small body that expands
 * without end is refused with 413 as soon as it passes the limit. {@code br}, {@code deflate},
 * {@code zstd} and {@code compress} are known and refused with 415 saying so ({@link Refused}); any other
 * encoding is refused by the server before routing.
 *
 * <p>Responses are never compressed: no encoder is registered, so the server sends every response,
 * every stream event above all, as it is written, never held in a compressor's buffer.
 */
public final class RequestEncodings {
    private RequestEncodings() {}

    /** The encoding context of the listener: gzip decoding, known refusals, no response encoding. */
    public static ContentEncodingContext context() {
        return ContentEncodingContextConfig.builder()
                .contentEncodingsDiscoverServices(false)
                .addContentEncoding(new Gzip())
                .addContentEncoding(new RefusedEncodings())
                .build();
    }

    /** Thrown while reading a body in an encoding the gateway does not decode. */
    public static final class Refused extends IOException {
        private final String encoding;

        Refused(String encoding) {
            super("Content-Encoding " + encoding + " is not supported");
            this.encoding = encoding;
        }

        public String encoding() {
            return encoding;
        }
    }

    private static final class Gzip implements ContentEncoding {
        @Override
        public Set<String> ids() {
            return Set.of("gzip", "x-gzip");
        }

        @Override
        public boolean supportsEncoding() {
            return false;
        }

        @Override
        public boolean supportsDecoding() {
            return true;
        }

        @Override
        public ContentDecoder decoder() {
            return network -> new LazyGzip(network);
        }

        @Override
        public ContentEncoder encoder() {
            return ContentEncoder.NO_OP;
        }

        @Override
        public String name() {
            return "gzip";
        }

        @Override
        public String type() {
            return "gzip";
        }
    }

    /** Encodings clients use that the gateway does not decode; reading such a body fails with {@link Refused}. */
    private static final class RefusedEncodings implements ContentEncoding {
        private static final Set<String> IDS = Set.of("br", "deflate", "zstd", "compress", "x-compress");

        @Override
        public Set<String> ids() {
            return IDS;
        }

        @Override
        public boolean supportsEncoding() {
            return false;
        }

        @Override
        public boolean supportsDecoding() {
            return true;
        }

        @Override
        public ContentDecoder decoder() {
            // the server does not say which id matched; the message names the family
            return network -> new FailingStream(new Refused("br, deflate, zstd or compress"));
        }

        @Override
        public ContentEncoder encoder() {
            return ContentEncoder.NO_OP;
        }

        @Override
        public String name() {
            return "refused";
        }

        @Override
        public String type() {
            return "refused";
        }
    }

    /**
     * Opens the gzip stream on the first read: the gzip header is read then, on the request's thread
     * and under its body deadline, not when the server sets up the request.
     */
    private static final class LazyGzip extends InputStream {
        private final InputStream network;
        private @Nullable InputStream gzip;

        LazyGzip(InputStream network) {
            this.network = network;
        }

        private InputStream gzip() throws IOException {
            if (gzip == null) {
                gzip = new GZIPInputStream(network, 8192);
            }
            return gzip;
        }

        @Override
        public int read() throws IOException {
            return gzip().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return gzip().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (gzip != null) {
                gzip.close();
            } else {
                network.close();
            }
        }
    }

    private static final class FailingStream extends InputStream {
        private final IOException failure;

        FailingStream(IOException failure) {
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            throw failure;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            throw failure;
        }
    }
}
