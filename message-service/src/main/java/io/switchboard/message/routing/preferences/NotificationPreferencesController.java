package io.switchboard.message.routing.preferences;

import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.platform.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** The signed-in user's notification preferences (user tokens). */
@RestController
@Validated
class NotificationPreferencesController {

    private final NotificationPreferences preferences;

    NotificationPreferencesController(NotificationPreferences preferences) {
        this.preferences = preferences;
    }

    record Preferences(@NotNull @Size(max = NotificationPreferences.MAX_PER_USER) List<@Valid @NotNull Preference> preferences) {
    }

    @Operation(summary = "Read my notification preferences")
    @GetMapping("/v1/me/notification-preferences")
    @PreAuthorize("hasAuthority('SCOPE_messages:read')")
    Preferences read(Authentication authentication) {
        Caller caller = Caller.of(authentication);
        return new Preferences(preferences.of(caller.appId(), caller.userId()));
    }

    @Operation(summary = "Replace my notification preferences",
            description = "Per source, or per source and event type: ALL, MUTE or DIGEST (with digestWindow, "
                    + "ISO-8601, default PT1H). Critical notifications ignore DIGEST; MUTE silences them too.")
    @PutMapping("/v1/me/notification-preferences")
    @PreAuthorize("hasAuthority('SCOPE_messages:write')")
    Preferences replace(@Valid @RequestBody Preferences request, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        preferences.replace(caller.appId(), caller.userId(), request.preferences());
        return new Preferences(preferences.of(caller.appId(), caller.userId()));
    }
}
