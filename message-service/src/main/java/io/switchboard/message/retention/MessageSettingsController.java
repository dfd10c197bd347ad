package io.switchboard.message.retention;

import io.switchboard.platform.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;

/** An app's message settings: how long its messages are kept. */
@RestController
@Validated
class MessageSettingsController {

    private final Retention retention;

    MessageSettingsController(Retention retention) {
        this.retention = retention;
    }

    /**
     * @param retentionDays the app's own retention; null means the platform default applies
     * @param effectiveRetentionDays what applies now; null means messages are kept
     */
    record Settings(Long retentionDays, Long effectiveRetentionDays) {
    }

    record SettingsRequest(@Min(1) @Max(36_500) Long retentionDays) {
    }

    @Operation(summary = "Read the app's message settings")
    @GetMapping("/v1/message-settings")
    @PreAuthorize("hasAuthority('SCOPE_messages:admin')")
    Settings read(Authentication authentication) {
        return settings(Caller.of(authentication).requireApp("Only the app manages its message settings"));
    }

    @Operation(summary = "Set the app's message retention",
            description = "Messages older than retentionDays are removed by a job that runs every few minutes; "
                    + "null returns to the platform default.")
    @PutMapping("/v1/message-settings")
    @PreAuthorize("hasAuthority('SCOPE_messages:admin')")
    Settings update(@Valid @RequestBody SettingsRequest request, Authentication authentication) {
        String appId = Caller.of(authentication).requireApp("Only the app manages its message settings");
        retention.set(appId, request.retentionDays() == null ? null : Duration.ofDays(request.retentionDays()));
        return settings(appId);
    }

    private Settings settings(String appId) {
        return new Settings(retention.ofApp(appId).map(Duration::toDays).orElse(null),
                retention.effective(appId).map(Duration::toDays).orElse(null));
    }
}
