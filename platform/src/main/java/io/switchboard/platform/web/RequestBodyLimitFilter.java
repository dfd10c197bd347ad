package io.switchboard.platform.web;

import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.problems.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Refuses request bodies over {@code maxBytes} with 413 {@code payload-too-large}: at once when
 * {@code Content-Length} says so, and while reading otherwise (chunked bodies), before anything
 * buffers an unbounded amount of memory. Some paths may have limits of their own. Refuses a body
 * that takes longer than {@code maxReadTime} to arrive with 408 {@code request-timeout}: a client
 * trickling a body byte by byte would otherwise hold its admission slot and thread for as long as it
 * likes (each wait for more bytes is bounded by the connector's {@code connection-timeout}).
 */
public class RequestBodyLimitFilter extends OncePerRequestFilter {

    private final long defaultMaxBytes;
    private final Map<String, Long> maxBytesByPath;
    private final long maxReadNanos;
    private final LongSupplier nanoClock;

    /**
     * @param maxBytesByPath limits of their own for these request paths, matched exactly
     * @param nanoClock      {@link System#nanoTime}, or a test's clock
     */
    public RequestBodyLimitFilter(long maxBytes, Map<String, Long> maxBytesByPath, Duration maxReadTime,
                                  LongSupplier nanoClock) {
        this.defaultMaxBytes = maxBytes;
        this.maxBytesByPath = Map.copyOf(maxBytesByPath);
        this.maxReadNanos = maxReadTime.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Raised while reading a body that turns out larger than allowed. */
    public static final class PayloadTooLargeException extends IOException {
        PayloadTooLargeException(long maxBytes) {
            super("The request body exceeds " + maxBytes + " bytes");
        }
    }

    /** Raised while reading a body that takes longer than allowed to arrive. */
    public static final class BodyTooSlowException extends IOException {
        BodyTooSlowException(Duration maxReadTime) {
            super("The request body took longer than " + maxReadTime.toSeconds() + " s to arrive");
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long maxBytes = maxBytesByPath.getOrDefault(request.getRequestURI(), defaultMaxBytes);
        if (request.getContentLengthLong() > maxBytes) {
            Problems.write(response, Problems.of(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The request body exceeds " + maxBytes + " bytes"));
            return;
        }
        chain.doFilter(new LimitedRequest(request, maxBytes), response);
    }

    private final class LimitedRequest extends HttpServletRequestWrapper {
        private final long maxBytes;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), maxBytes);
            }
            return stream;
        }
    }

    private final class LimitedStream extends ServletInputStream {
        private final ServletInputStream delegate;
        private final long maxBytes;
        private final long startedNanos = nanoClock.getAsLong();
        private long read;

        LimitedStream(ServletInputStream delegate, long maxBytes) {
            this.delegate = delegate;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > maxBytes) {
                throw new PayloadTooLargeException(maxBytes);
            }
            if (nanoClock.getAsLong() - startedNanos > maxReadNanos) {
                throw new BodyTooSlowException(Duration.ofNanos(maxReadNanos));
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
