package io.switchboard.auth.apps;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** Platform administration of apps (HTTP Basic, the admin credential). */
@RestController
@RequestMapping("/v1/apps")
class AppsController {

    private final Apps apps;

    AppsController(Apps apps) {
        this.apps = apps;
    }

    record CreateAppRequest(@NotBlank @Size(max = 200) String name,
                            @Size(max = 50) List<@Pattern(regexp = "[a-z][a-z0-9:._-]{0,63}") String> scopes) {
    }

    record AppResponse(String appId, String name, String status, List<String> scopes, Instant createdAt,
                       Instant updatedAt) {
        static AppResponse of(App app) {
            return new AppResponse(app.appId(), app.name(), app.status().name(), app.scopes(), app.createdAt(),
                    app.updatedAt());
        }
    }

    /** The created app with its App Certificate: shown once, never again. */
    record CreatedAppResponse(String appId, String appCertificate, String name, String status, List<String> scopes,
                              Instant createdAt) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CreatedAppResponse createApp(@Valid @RequestBody CreateAppRequest request) {
        Apps.CreatedApp created = apps.create(request.name(), request.scopes());
        App app = created.app();
        return new CreatedAppResponse(app.appId(), created.certificate(), app.name(), app.status().name(),
                app.scopes(), app.createdAt());
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
}
