package io.switchboard.push.webhooks.delivery;

import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.platform.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** The app's delivery log and the replay of failed deliveries (app tokens with {@code webhooks:admin}). */
@RestController
@Validated
@RequestMapping("/v1/webhooks/deliveries")
@PreAuthorize("hasAuthority('SCOPE_webhooks:admin')")
class DeliveriesController {

    private final DeliveryLog log;

    DeliveriesController(DeliveryLog log) {
        this.log = log;
    }

    record DeliveryPage(List<DeliveryLog.Entry> deliveries, String nextCursor) {
    }

    record DeliveryDetail(DeliveryLog.Entry delivery, List<DeliveryLog.Attempt> attempts) {
    }

    record ReplayRequest(@NotNull Instant since, String endpointId) {
    }

    record ReplayResult(int replayed) {
    }

    @Operation(summary = "The delivery log, newest first",
            description = "status=failed lists the dead letters (retries-exhausted or endpoint-disabled). "
                    + "Pass nextCursor as cursor for the next page.")
    @GetMapping
    DeliveryPage list(@RequestParam(required = false) String endpointId,
                      @RequestParam(required = false) @Pattern(regexp = "pending|delivered|failed") String status,
                      @RequestParam(required = false) Instant since,
                      @RequestParam(required = false) @Pattern(regexp = "[0-9]{1,18}") String cursor,
                      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
                      Authentication authentication) {
        List<DeliveryLog.Entry> page = log.list(appOf(authentication), endpointId, status, since,
                cursor == null ? null : Long.valueOf(cursor), limit);
        return new DeliveryPage(page, page.size() == limit ? String.valueOf(page.getLast().seq()) : null);
    }

    @Operation(summary = "A delivery and every attempt made", description = "Outcome, HTTP status and duration of each attempt.")
    @GetMapping("/{deliveryId}")
    DeliveryDetail get(@PathVariable String deliveryId, Authentication authentication) {
        DeliveryLog.Entry entry = log.get(appOf(authentication), deliveryId);
        return new DeliveryDetail(entry, log.attempts(entry.deliveryId()));
    }

    @Operation(summary = "Replay a failed delivery",
            description = "Pending again at once, with the same delivery id and max-attempts more attempts. "
                    + "webhook-delivery-not-failed unless it failed; webhook-endpoint-disabled while its endpoint is disabled.")
    @PostMapping("/{deliveryId}/replay")
    DeliveryLog.Entry replay(@PathVariable String deliveryId, Authentication authentication) {
        return log.replay(appOf(authentication), deliveryId);
    }

    @Operation(summary = "Replay every failed delivery since a time",
            description = "Of the app, or of one endpoint: those that failed at or after since. Deliveries of disabled "
                    + "endpoints stay failed.")
    @PostMapping("/replay")
    ReplayResult replayAll(@Valid @RequestBody ReplayRequest request, Authentication authentication) {
        return new ReplayResult(log.replayFailedSince(appOf(authentication), request.endpointId(), request.since()));
    }

    private static String appOf(Authentication authentication) {
        return Caller.of(authentication).requireApp("Webhook deliveries are managed with an app token");
    }
}
