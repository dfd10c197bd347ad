package io.switchboard.platform.web;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bodies that are too large, or arrive too slowly, are refused while they are read. */
class RequestBodyLimitFilterTests {

    private final AtomicLong clock = new AtomicLong();
    private final RequestBodyLimitFilter filter = new RequestBodyLimitFilter(100, Map.of("/big", 1_000L),
            Duration.ofSeconds(10), clock::get);

    @Test
    void aBodyThatTricklesInLongerThanTheLimitIsRefusedWhileReading() {
        MockHttpServletRequest request = post("/v1/messages", new byte[50]);

        assertThatThrownBy(() -> filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
            InputStream body = req.getInputStream();
            body.read(new byte[10]);
            clock.addAndGet(Duration.ofSeconds(11).toNanos());   // the next bytes came 11 s later
            body.read(new byte[10]);
        })).isInstanceOf(RequestBodyLimitFilter.BodyTooSlowException.class).hasMessageContaining("10 s");
    }

    @Test
    void aBodyWithinTheTimeIsReadWhole() throws Exception {
        MockHttpServletRequest request = post("/v1/messages", new byte[50]);
        long[] read = new long[1];

        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
            clock.addAndGet(Duration.ofSeconds(9).toNanos());
            read[0] = req.getInputStream().readAllBytes().length;
        });

        assertThat(read[0]).isEqualTo(50);
    }

    @Test
    void aDeclaredBodyOverTheLimitIsRefusedBeforeReadingAndAPathMayAllowMore() throws Exception {
        MockHttpServletResponse refused = new MockHttpServletResponse();
        filter.doFilter(post("/v1/messages", new byte[101]), refused, (req, res) -> { });
        MockHttpServletResponse allowed = new MockHttpServletResponse();
        filter.doFilter(post("/big", new byte[101]), allowed, (req, res) -> ((MockHttpServletResponse) res).setStatus(201));

        assertThat(refused.getStatus()).isEqualTo(413);
        assertThat(refused.getContentType()).isEqualTo("application/problem+json");
        assertThat(allowed.getStatus()).isEqualTo(201);
    }

    private static MockHttpServletRequest post(String path, byte[] body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setContent(body);
        return request;
    }
}
