package io.switchboard.push.gateway;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.util.Collections;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** What the WebSocket layers (which keep the handshake request for the connection's lifetime) see of a handshake. */
class HandshakeCredentialsTests {

    @Test
    void theWebSocketLayersSeeTheHandshakeWithoutItsCredentialsAndTheAuthorizationSeesItAsSent() throws Exception {
        MockHttpServletRequest sent = handshake("/v1/ws");

        HttpServletRequest seen = filtered(sent);

        assertThat(seen.getHeader("Authorization")).isNull();
        assertThat(seen.getHeaders("authorization").hasMoreElements()).isFalse();
        assertThat(Collections.list(seen.getHeaderNames())).containsExactly("Origin");
        assertThat(seen.getQueryString()).isEqualTo("resume=true");
        assertThat(seen.getParameter("ticket")).isNull();
        assertThat(seen.getParameterValues("ticket")).isNull();
        assertThat(seen.getParameterMap()).containsOnlyKeys("resume");
        assertThat(Collections.list(seen.getParameterNames())).containsExactly("resume");

        HttpServletRequest asSent = HandshakeCredentials.asSent(seen);
        assertThat(asSent.getHeader("Authorization")).isEqualTo("Bearer header-token");
        assertThat(asSent.getParameter("ticket")).isEqualTo("query-ticket");
    }

    @Test
    void otherRequestsPassUnchanged() throws Exception {
        MockHttpServletRequest sent = handshake("/v1/web-config");

        assertThat(filtered(sent)).isSameAs(sent);
        assertThat(HandshakeCredentials.asSent(sent)).isSameAs(sent);
    }

    private static MockHttpServletRequest handshake(String path) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setQueryString("ticket=query-ticket&resume=true");
        request.addParameter("ticket", "query-ticket");
        request.addParameter("resume", "true");
        request.addHeader("Authorization", "Bearer header-token");
        request.addHeader("Origin", "https://chat.example.com");
        return request;
    }

    private static HttpServletRequest filtered(HttpServletRequest request) throws Exception {
        AtomicReference<HttpServletRequest> passedOn = new AtomicReference<>();
        new HandshakeCredentials().doFilter(request, new MockHttpServletResponse(),
                (req, res) -> passedOn.set((HttpServletRequest) req));
        return passedOn.get();
    }
}
