package dev.tabard.http;

import dev.tabard.problem.Problem;
import dev.tabard.problem.ProblemType;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Request;

/**
 * Receives each request body completely, without a thread, before any handler runs. Javalin handlers read bodies
 * with blocking calls, so a client declaring 100 KB and sending a byte every few seconds would hold a handler
 * thread for as long as it liked; two hundred such clients held every thread and stopped {@code /healthz}. Here the
 * body is read with the servlet non-blocking API into memory, bounded by the server's maximum body size (413
 * {@code INPUT_TOO_LARGE}) and by {@link TransportLimits#bodyTimeout()} (408 {@code REQUEST_TIMEOUT}); only then
 * is the request dispatched to Javalin with the buffered bytes as its input stream.
 *
 * <p>Memory is bounded by bytes actually received: at most the maximum body per connection, connections by
 * {@link ConnectionGuard}, and all bodies being received, in all and per client address, by {@link BodyBudget}.
 */
final class BodyBuffering implements Filter {

    private static final String BODY = BodyBuffering.class.getName() + ".body";

    private final int maxBodyBytes;
    private final Duration bodyTimeout;
    private final BodyBudget budget;
    private final AtomicLong timeouts = new AtomicLong();

    BodyBuffering(int maxBodyBytes, Duration bodyTimeout, BodyBudget budget) {
        this.maxBodyBytes = maxBodyBytes;
        this.bodyTimeout = bodyTimeout;
        this.budget = budget;
    }

    /** Bytes of bodies being received now. */
    long bytesHeld() {
        return budget.used();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse res = (HttpServletResponse) response;
        if (req.getDispatcherType() == DispatcherType.ASYNC) {
            Object body = req.getAttribute(BODY);
            if (body instanceof byte[]) {
                req.removeAttribute(BODY);
                chain.doFilter(new BufferedRequest(req, (byte[]) body), res);
            } else {
                chain.doFilter(req, res);
            }
            return;
        }
        long declared = req.getContentLengthLong();
        boolean hasBody = declared > 0 || (declared < 0 && req.getHeader("Transfer-Encoding") != null);
        if (!hasBody) {
            chain.doFilter(new BufferedRequest(req, new byte[0]), res);
            return;
        }
        if (declared > maxBodyBytes) {
            ProblemResponses.write(res, 413, tooLarge(), req.getRequestURI(), true);
            return;
        }
        AsyncContext async = req.startAsync();
        async.setTimeout(bodyTimeout.toMillis());
        Reader reader = new Reader(async, req, res, req.getInputStream(), declared);
        async.addListener(reader);
        req.getInputStream().setReadListener(reader);
    }

    /** Bodies that did not arrive within the body timeout. */
    long timeouts() {
        return timeouts.get();
    }

    private Problem tooLarge() {
        return Problem.of(ProblemType.INPUT_TOO_LARGE, "the request body exceeds " + maxBodyBytes + " bytes");
    }

    /** Reads one body as it arrives; exactly one of dispatch, 408, 413 or abandon ends it. */
    private final class Reader implements ReadListener, AsyncListener {
        private final AsyncContext async;
        private final HttpServletRequest req;
        private final HttpServletResponse res;
        private final ServletInputStream in;
        private final ByteArrayOutputStream bytes;
        private final byte[] chunk = new byte[8192];
        private final AtomicBoolean finished = new AtomicBoolean();
        private final String client;
        private final AtomicLong held = new AtomicLong();

        Reader(AsyncContext async, HttpServletRequest req, HttpServletResponse res, ServletInputStream in, long declared) {
            this.async = async;
            this.req = req;
            this.res = res;
            this.in = in;
            this.client = ClientAddress.of(req.getRemoteAddr());
            this.bytes = new ByteArrayOutputStream((int) Math.min(declared > 0 ? declared : 8192, 65_536));
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (!finished.get() && in.isReady()) {
                int n = in.read(chunk);
                if (n < 0) {
                    return;
                }
                if (bytes.size() + n > maxBodyBytes) {
                    answer(413, tooLarge());
                    return;
                }
                if (!budget.take(client, n)) {
                    res.setHeader("Retry-After", "1");
                    answer(503, Problem.of(ProblemType.SERVICE_UNAVAILABLE, "the server is receiving as many request bodies from "
                            + "this address as it holds at once; send this one again when the others are done"));
                    return;
                }
                held.addAndGet(n);
                bytes.write(chunk, 0, n);
            }
        }

        @Override
        public void onAllDataRead() {
            if (finished.compareAndSet(false, true)) {
                req.setAttribute(BODY, bytes.toByteArray());
                async.dispatch();
            }
        }

        @Override
        public void onError(Throwable failure) {
            if (failure instanceof TimeoutException) {
                onTimeout(null);
            } else if (finished.compareAndSet(false, true)) {
                async.complete();
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            timeouts.incrementAndGet();
            answer(408, Problem.of(ProblemType.REQUEST_TIMEOUT, "the request body did not arrive within " + bodyTimeout.toSeconds()
                    + " s; send it again, all at once"));
        }

        private void answer(int status, Problem problem) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            try {
                ProblemResponses.write(res, status, problem, req.getRequestURI(), true);
                res.flushBuffer();
            } catch (IOException | IllegalStateException e) {
                // the client is gone; nothing is left to tell it
            } finally {
                // the rest of the body is unread: close rather than leave Jetty a read pending on a finished request
                Request.getBaseRequest(req).getHttpChannel().getEndPoint().close();
                async.complete();
            }
        }

        /** The request is over (answered, dispatched and handled, or abandoned): its bytes leave the budget. */
        @Override
        public void onComplete(AsyncEvent event) {
            budget.give(client, held.getAndSet(0));
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }

    /** The request as handlers see it: the same headers, with the buffered body as its input. */
    private static final class BufferedRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body is already buffered");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            Charset charset = StandardCharsets.UTF_8;
            try {
                if (getCharacterEncoding() != null) {
                    charset = Charset.forName(getCharacterEncoding());
                }
            } catch (IllegalArgumentException unknownCharset) {
                // an unknown charset parameter: read as UTF-8, as JSON is (RFC 8259 §8.1)
            }
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }
    }
}
