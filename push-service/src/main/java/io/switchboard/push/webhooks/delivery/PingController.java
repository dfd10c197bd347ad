package io.switchboard.push.webhooks.delivery;

import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import io.switchboard.push.webhooks.WebhookEvent;
import io.switchboard.push.webhooks.WebhookEventType;
import io.switchboard.push.webhooks.endpoints.Endpoint;
import io.switchboard.push.webhooks.endpoints.EndpointStore;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/** Sends a test event to one endpoint, through the queue like any other (signed, retried, logged). */
@RestController
@PreAuthorize("hasAuthority('SCOPE_webhooks:admin')")
class PingController {

    private final EndpointStore endpoints;
    private final EventRecorder recorder;

    PingController(EndpointStore endpoints, EventRecorder recorder) {
        this.endpoints = endpoints;
        this.recorder = recorder;
    }

    record Ping(String eventId) {
    }

    @Operation(summary = "Send a webhook.ping event to the endpoint",
            description = "Delivered like every event: signed, retried, in the delivery log. webhook-endpoint-disabled "
                    + "while the endpoint is disabled.")
    @PostMapping("/v1/webhooks/endpoints/{endpointId}/ping")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Ping ping(@PathVariable String endpointId, Authentication authentication) {
        String appId = Caller.of(authentication).requireApp("Webhook endpoints are managed with an app token");
        Endpoint endpoint = endpoints.find(appId, endpointId).orElseThrow(() -> new ApiException(
                ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND, "No webhook endpoint " + endpointId));
        if (!endpoint.enabled()) {
            throw new ApiException(ErrorCode.WEBHOOK_ENDPOINT_DISABLED, "Endpoint " + endpointId + " is disabled");
        }
        String eventId = "ping:" + UUID.randomUUID();
        recorder.recordFor(endpoint, WebhookEvent.of(eventId, appId, WebhookEventType.PING,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), Map.of("endpointId", endpointId)));
        return new Ping(eventId);
    }
}
