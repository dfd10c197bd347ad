package io.switchboard.message.routing;

import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.events.integration.BusinessEvent;
import io.switchboard.message.ingest.EventRequest;
import io.switchboard.message.ingest.PostedEventRules;
import io.switchboard.message.routing.rules.RuleDefinition;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** Dry runs: an event (as it would be posted) against the app's rules, one rule, or a draft rule. */
@RestController
class DryRunController {

    private final DryRun dryRun;
    private final PostedEventRules events;

    DryRunController(DryRun dryRun, PostedEventRules events) {
        this.dryRun = dryRun;
        this.events = events;
    }

    /**
     * @param ruleId a stored rule (enabled or not); without it and without {@code rule}, every enabled rule
     * @param rule   a rule that is not saved yet
     */
    record DryRunRequest(@NotNull @Valid EventRequest event, @Size(max = 64) String ruleId, @Valid RuleDefinition rule) {
    }

    record DryRunResponse(String eventId, List<DryRun.RuleResult> rules) {
    }

    @Operation(summary = "What routing would do with an event",
            description = "Matches the event against the app's enabled rules (or one rule, or a draft rule), resolves "
                    + "their targets and renders each recipient's notification, without sending, counting throttles, "
                    + "collecting digests or creating system conversations. Per rule: MATCHED (with notifications and "
                    + "their outcome SEND, THROTTLED, DIGEST or MUTED), NOT_MATCHED, CONDITION_FALSE or FAILED (with "
                    + "the reason the event would be dead-lettered with).")
    @PostMapping("/v1/routing/dry-run")
    @PreAuthorize("hasAuthority('SCOPE_routing:admin')")
    DryRunResponse dryRun(@Valid @RequestBody DryRunRequest request, Authentication authentication) {
        String appId = Caller.of(authentication).requireApp("Only the app dry-runs its routing rules");
        if (request.ruleId() != null && request.rule() != null) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Give ruleId or rule, not both");
        }
        BusinessEvent event = events.toBusinessEvent(appId, request.event(), "event.");
        List<DryRun.RuleResult> results = request.rule() != null
                ? List.of(dryRun.againstDraft(event, request.rule()))
                : dryRun.againstStored(event, request.ruleId());
        return new DryRunResponse(event.getEventId(), results);
    }
}
