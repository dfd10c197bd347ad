package io.switchboard.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.Map;

/**
 * HTTP API limits of a service.
 *
 * @param maxRequestSize       largest request body accepted; larger ones get 413 {@code payload-too-large}
 * @param maxRequestSizeByPath a larger (or smaller) limit for the request paths given, exactly as
 *                             requested (no patterns): for an endpoint whose own limits allow a
 *                             larger body, e.g. message-service's {@code /v1/me/sync} of 10,000
 *                             conversations
 * @param maxConcurrentRequests requests one instance works on at once; more wait in line
 * @param maxConcurrentRequestsPerApp of those, how many one app's requests may take
 * @param maxConcurrentUnauthenticatedRequests of those, how many requests without a bearer token may take
 *                              (the token endpoint's included)
 * @param maxQueueWait          how long a request waits in line before it is refused with 503
 *                              {@code overloaded} (see {@link AdmissionFilter})
 * @param maxBodyReadTime       longest a request body may take to arrive; a slower one is refused
 *                              with 408 {@code request-timeout} (with {@code server.tomcat.connection-timeout}
 *                              bounding each wait for the next bytes)
 */
@ConfigurationProperties("switchboard.api")
public record ApiProperties(@DefaultValue("256KB") DataSize maxRequestSize, Map<String, DataSize> maxRequestSizeByPath,
                            @DefaultValue("256") int maxConcurrentRequests,
                            @DefaultValue("64") int maxConcurrentRequestsPerApp,
                            @DefaultValue("32") int maxConcurrentUnauthenticatedRequests,
                            @DefaultValue("1s") Duration maxQueueWait,
                            @DefaultValue("10s") Duration maxBodyReadTime) {

    public ApiProperties {
        maxRequestSizeByPath = maxRequestSizeByPath == null ? Map.of() : Map.copyOf(maxRequestSizeByPath);
    }
}
