package io.switchboard.push.gateway;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Hands the push handshake to the WebSocket layers without its credentials: they see no
 * {@code Authorization} header and no {@code ticket} query parameter. Tomcat's and Spring's
 * WebSocket sessions keep the handshake request's headers, query and parameters for as long as the
 * connection is open; without this each of 100,000 sessions would hold the encoded token two to
 * four times over, and a heap dump of the gateway would be full of bearer tokens in places nobody
 * looks for them. {@link HandshakeAuthorization} reads the token from the request as it was sent
 * ({@link #asSent}) and leaves the session one copy of it, in its {@link PushPrincipal}.
 */
@Component
class HandshakeCredentials extends OncePerRequestFilter {

    private static final String TICKET = HandshakeAuthorization.TICKET;

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !WebSocketConfiguration.PATH.equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new WithoutCredentials(request), response);
    }

    /** The handshake request as the client sent it, credentials included (under any wrappers of later filters). */
    static HttpServletRequest asSent(HttpServletRequest request) {
        for (ServletRequest layer = request; layer instanceof ServletRequestWrapper wrapper; layer = wrapper.getRequest()) {
            if (wrapper instanceof WithoutCredentials) {
                return (HttpServletRequest) wrapper.getRequest();
            }
        }
        return request;
    }

    /** The handshake request as the WebSocket layers see it. */
    private static final class WithoutCredentials extends HttpServletRequestWrapper {

        private final String queryString;
        private final Map<String, String[]> parameters;

        WithoutCredentials(HttpServletRequest request) {
            super(request);
            String query = request.getQueryString();
            this.queryString = query == null ? null : Arrays.stream(query.split("&"))
                    .filter(pair -> !pair.equals(TICKET) && !pair.startsWith(TICKET + "="))
                    .collect(Collectors.collectingAndThen(Collectors.joining("&"), rest -> rest.isEmpty() ? null : rest));
            Map<String, String[]> rest = new LinkedHashMap<>(request.getParameterMap());
            rest.remove(TICKET);
            this.parameters = Collections.unmodifiableMap(rest);
        }

        @Override
        public String getHeader(String name) {
            return isAuthorization(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return isAuthorization(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !isAuthorization(name)).toList());
        }

        @Override
        public String getQueryString() {
            return queryString;
        }

        @Override
        public String getParameter(String name) {
            String[] values = parameters.get(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return parameters;
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(parameters.keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            return parameters.get(name);
        }

        private static boolean isAuthorization(String name) {
            return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name);
        }
    }
}
