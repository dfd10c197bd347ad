package io.switchboard.auth.apps;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Platform administration of apps (HTTP Basic, the admin credential). */
@RestController
@RequestMapping("/v1/apps")
class AppsController {

    private static final String SCOPE = "[a-z][a-z0-9:._-]{0,63}";

    private final Apps apps;

    AppsController(Apps apps) {
        this.apps = apps;
    }

    record CreateAppRequest(@NotBlank @Size(max = 200) String name,
                            @Size(max = 50) List<@Pattern(regexp = SCOPE) String> scopes) {
    }

    record ChangeAppRequest(@Size(min = 1, max = 200) String name,
                            @Size(max = 50) List<@Pattern(regexp = SCOPE) String> scopes,
                            @Min(1) @Max(100_000) Integer requestsPerSecond,
                            @Min(60) @Max(7 * 24 * 3600) Long maxUserTokenTtlSeconds,
                            @Min(0) @Max(100) Integer maxDevicesPerUser) {
    }

    record AppResponse(String appId, String name, String status, List<String> scopes, Integer requestsPerSecond,
                       Long maxUserTokenTtlSeconds, Integer maxDevicesPerUser, Instant tokensNotBefore, long version, Instant createdAt,
                       Instant updatedAt) {
        static AppResponse of(App app) {
            return new AppResponse(app.appId(), app.name(), app.status().name(), app.scopes(), app.requestsPerSecond(),
                    app.maxUserTokenTtl() == null ? null : app.maxUserTokenTtl().toSeconds(), app.maxDevicesPerUser(),
                    app.tokensNotBefore(),
                    app.version(), app.createdAt(), app.updatedAt());
        }
    }

    /** The created app with its App Certificate: shown once, never again. */
    record CreatedAppResponse(String appId, String appCertificate, String certificateId, String name, String status,
                              List<String> scopes, Instant createdAt) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CreatedAppResponse createApp(@Valid @RequestBody CreateAppRequest request, Authentication admin) {
        Apps.CreatedApp created = apps.create(actor(admin), request.name(), request.scopes());
        App app = created.app();
        return new CreatedAppResponse(app.appId(), created.certificate().secret(),
                created.certificate().certificate().certificateId(), app.name(), app.status().name(), app.scopes(),
                app.createdAt());
    }

    @GetMapping("/{appId}")
    AppResponse getApp(@PathVariable String appId) {
        return AppResponse.of(apps.get(appId));
    }

    @GetMapping
    List<AppResponse> listApps(@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
                               @RequestParam(required = false) String after) {
        return apps.list(limit, after).stream().map(AppResponse::of).toList();
    }

    @PatchMapping("/{appId}")
    AppResponse changeApp(@PathVariable String appId, @Valid @RequestBody ChangeAppRequest request, Authentication admin) {
        return AppResponse.of(apps.change(actor(admin), appId, new Apps.Changes(request.name(), request.scopes(),
                request.requestsPerSecond(),
                request.maxUserTokenTtlSeconds() == null ? null : Duration.ofSeconds(request.maxUserTokenTtlSeconds()),
                request.maxDevicesPerUser())));
    }

    @PostMapping("/{appId}/suspend")
    AppResponse suspendApp(@PathVariable String appId, Authentication admin) {
        return AppResponse.of(apps.suspend(actor(admin), appId));
    }

    @PostMapping("/{appId}/resume")
    AppResponse resumeApp(@PathVariable String appId, Authentication admin) {
        return AppResponse.of(apps.resume(actor(admin), appId));
    }

    @DeleteMapping("/{appId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteApp(@PathVariable String appId, Authentication admin) {
        apps.delete(actor(admin), appId);
    }

    private static String actor(Authentication admin) {
        return "admin:" + admin.getName();
    }
}
