package io.switchboard.push.webhooks.endpoints;

import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.platform.security.Caller;
import io.switchboard.push.webhooks.WebhookEventType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** An app's webhook endpoints over HTTP (app tokens with {@code webhooks:admin}). */
@RestController
@RequestMapping("/v1/webhooks/endpoints")
@PreAuthorize("hasAuthority('SCOPE_webhooks:admin')")
class EndpointsController {

    private static final String USER_ID = "[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}";

    private final Endpoints endpoints;

    EndpointsController(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    record EndpointRequest(@NotBlank @Size(max = 2048) String url,
                           @NotEmpty @Size(max = 20) List<@NotBlank String> eventTypes,
                           @Size(max = 500) String description,
                           @Pattern(regexp = USER_ID) String botUserId,
                           Boolean enabled) {
    }

    record EndpointChange(@Size(min = 1, max = 2048) String url,
                          @Size(min = 1, max = 20) List<@NotBlank String> eventTypes,
                          @Size(max = 500) String description,
                          @Pattern(regexp = "|" + USER_ID) String botUserId,
                          Boolean enabled) {
    }

    record RotationRequest(@Min(0) @Max(604_800) Long overlapSeconds) {
    }

    /**
     * An endpoint as the API shows it. {@code status}: {@code enabled}, {@code disabled} (by the
     * app) or {@code disabled-failing} (its deliveries failed for {@code disable-after});
     * {@code health}: how its deliveries are going ({@link EndpointHealth}).
     */
    record EndpointResponse(String endpointId, String url, String description, List<String> eventTypes,
                            String botUserId, String status, Instant disabledAt, Instant failingSince,
                            Instant createdAt, Instant updatedAt, long version,
                            List<EndpointSecrets.SecretInfo> secrets, EndpointHealth health) {
    }

    /** A registration or rotation answer: the secret is in this response only. */
    record WithSecret(String secret, EndpointResponse endpoint) {
    }

    @Operation(summary = "Register a webhook endpoint",
            description = "The URL must be https and resolve to public addresses only (webhook-url-refused otherwise). "
                    + "The signing secret is in this response only.")
    @PostMapping
    ResponseEntity<WithSecret> register(@Valid @RequestBody EndpointRequest request, Authentication authentication) {
        Endpoints.Created created = endpoints.register(Caller.of(authentication), new Endpoints.Settings(request.url(),
                request.eventTypes(), request.description(), request.botUserId(), request.enabled()));
        return ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/v1/webhooks/endpoints/" + created.endpoint().endpointId()))
                .body(new WithSecret(created.secret(), response(created.endpoint())));
    }

    @Operation(summary = "List the app's webhook endpoints")
    @GetMapping
    List<EndpointResponse> list(Authentication authentication) {
        return endpoints.list(Caller.of(authentication)).stream().map(this::response).toList();
    }

    @Operation(summary = "Read a webhook endpoint",
            description = "With its status, the secrets that sign now (not their values) and its delivery health: "
                    + "health.state healthy, failing (every attempt since failingSince failed), open-circuit (attempts "
                    + "failed so often that none is made before nextAttemptAt) or disabled; consecutiveFailures, "
                    + "lastAttemptAt, lastError {at, outcome, statusCode, detail}, pendingDeliveries, nextAttemptAt. "
                    + "Shared by every instance of the service: any of them answers the same.")
    @GetMapping("/{endpointId}")
    EndpointResponse get(@PathVariable String endpointId, Authentication authentication) {
        return response(endpoints.get(Caller.of(authentication), endpointId));
    }

    @Operation(summary = "Change a webhook endpoint",
            description = "Fields left out keep their value. enabled=false stops deliveries (pending ones become failed, "
                    + "reason endpoint-disabled, replayable); enabled=true starts a disabled endpoint afresh.")
    @PatchMapping("/{endpointId}")
    EndpointResponse change(@PathVariable String endpointId, @Valid @RequestBody EndpointChange change,
                            Authentication authentication) {
        return response(endpoints.change(Caller.of(authentication), endpointId, new Endpoints.Settings(change.url(),
                change.eventTypes(), change.description(), change.botUserId(), change.enabled())));
    }

    @Operation(summary = "Delete a webhook endpoint", description = "Its deliveries and their log go with it.")
    @DeleteMapping("/{endpointId}")
    ResponseEntity<Void> delete(@PathVariable String endpointId, Authentication authentication) {
        endpoints.delete(Caller.of(authentication), endpointId);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Rotate the endpoint's signing secret",
            description = "Returns the new secret (this once). The previous secret keeps signing beside it "
                    + "(two v1,<signature> entries in webhook-signature) for overlapSeconds (default: the service's secret-overlap, "
                    + "24 h; at most 7 days); a secret rotated out earlier stops at once.")
    @PostMapping("/{endpointId}/secret/rotate")
    WithSecret rotate(@PathVariable String endpointId, @Valid @RequestBody(required = false) RotationRequest request,
                      Authentication authentication) {
        Caller caller = Caller.of(authentication);
        Duration overlap = request == null || request.overlapSeconds() == null ? null
                : Duration.ofSeconds(request.overlapSeconds());
        String secret = endpoints.rotateSecret(caller, endpointId, overlap);
        return new WithSecret(secret, response(endpoints.get(caller, endpointId)));
    }

    private EndpointResponse response(Endpoint endpoint) {
        String status = endpoint.enabled() ? "enabled"
                : endpoint.disabledReason() == Endpoint.DisabledReason.FAILING ? "disabled-failing" : "disabled";
        return new EndpointResponse(endpoint.endpointId(), endpoint.url().toString(), endpoint.description(),
                endpoint.eventTypes().stream().map(WebhookEventType::wireName).toList(), endpoint.botUserId(), status,
                endpoint.disabledAt(), endpoint.failingSince(), endpoint.createdAt(), endpoint.updatedAt(),
                endpoint.version(), endpoints.secrets(endpoint), endpoints.health(endpoint));
    }
}
