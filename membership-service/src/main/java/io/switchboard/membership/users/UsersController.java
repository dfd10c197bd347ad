package io.switchboard.membership.users;

import io.switchboard.membership.Ids;
import io.switchboard.platform.security.Caller;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The users of the caller's app (app tokens only: users are provisioned by the app's servers). */
@RestController
class UsersController {

    private static final String LOCALE = "Preferred locale, a BCP 47 language tag (e.g. 'de', 'pt-BR'), used to pick "
            + "notification templates; stored in canonical case. Anything else is refused with validation-failed.";

    private final Users users;

    UsersController(Users users) {
        this.users = users;
    }

    record CreateUserRequest(@NotNull @Pattern(regexp = Ids.PATTERN) String userId, @Size(max = 200) String displayName,
                             @Email @Size(max = 320) String email,
                             @Size(max = 50) Map<@Size(max = 64) String, @Size(max = 1024) String> metadata,
                             @Schema(description = LOCALE, example = "pt-BR") @LanguageTag String locale) {
    }

    /** A null field keeps its value. */
    record ChangeUserRequest(@Size(min = 1, max = 200) String displayName, @Email @Size(max = 320) String email,
                             @Size(max = 50) Map<@Size(max = 64) String, @Size(max = 1024) String> metadata,
                             @Schema(description = LOCALE + " Null keeps the current one.", example = "pt-BR")
                             @LanguageTag String locale,
                             Boolean active) {
    }

    record ImportedUser(@NotNull @Pattern(regexp = Ids.PATTERN) String userId, @Size(max = 200) String displayName,
                        @Email @Size(max = 320) String email,
                        @Size(max = 50) Map<@Size(max = 64) String, @Size(max = 1024) String> metadata,
                        @Schema(description = LOCALE, example = "pt-BR") @LanguageTag String locale) {
    }

    record ImportRequest(@NotEmpty @Size(max = 1000) List<@Valid @NotNull ImportedUser> users) {
    }

    record ImportResult(int created, int updated, int unchanged) {
    }

    record UserResponse(String userId, String displayName, String email,
                        @Schema(description = "Preferred locale (BCP 47, canonical case); null when unknown",
                                example = "pt-BR") String locale,
                        Map<String, String> metadata, boolean active,
                        @Schema(description = "Rises with every change of the user, their departments and tags included")
                        long version,
                        Instant createdAt, Instant updatedAt) {
        static UserResponse of(User u) {
            return new UserResponse(u.userId(), u.displayName(), u.email(), u.locale(), u.metadata(), u.active(),
                    u.version(), u.createdAt(), u.updatedAt());
        }
    }

    /** A page of users by id; {@code nextAfter} (null on the last page) is the next page's {@code after}. */
    record UserPage(List<UserResponse> users, String nextAfter) {
    }

    @PostMapping("/v1/users")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    ResponseEntity<UserResponse> createUser(@Valid @RequestBody CreateUserRequest request, Authentication authentication) {
        User user = users.create(app(authentication), request.userId(),
                new User.Profile(request.displayName(), request.email(), request.metadata(), request.locale()));
        return ResponseEntity.created(URI.create("/v1/users/" + user.userId())).body(UserResponse.of(user));
    }

    @GetMapping("/v1/users/{userId}")
    @PreAuthorize("hasAuthority('SCOPE_users:read')")
    UserResponse getUser(@PathVariable String userId, Authentication authentication) {
        return UserResponse.of(users.get(app(authentication), userId));
    }

    /** Changes profile fields; {@code active: false} deactivates the user (they can join no conversation), true reactivates. */
    @PatchMapping("/v1/users/{userId}")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    UserResponse changeUser(@PathVariable String userId, @Valid @RequestBody ChangeUserRequest request,
                            Authentication authentication) {
        return UserResponse.of(users.change(app(authentication), userId,
                new User.Profile(request.displayName(), request.email(), request.metadata(), request.locale()),
                request.active()));
    }

    /** Users by id, optionally those whose id or display name starts with {@code search}. */
    @GetMapping("/v1/users")
    @PreAuthorize("hasAuthority('SCOPE_users:read')")
    UserPage listUsers(@RequestParam(required = false) @Size(max = 200) String search,
                       @RequestParam(required = false) @Pattern(regexp = Ids.PATTERN) String after,
                       @RequestParam(defaultValue = "false") boolean includeInactive,
                       @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
                       Authentication authentication) {
        List<User> page = users.list(app(authentication), search, after, includeInactive, limit);
        return new UserPage(page.stream().map(UserResponse::of).toList(),
                page.size() < limit ? null : page.getLast().userId());
    }

    /** Creates or updates up to 1,000 users at once, idempotently by user id (a re-sent import changes nothing). */
    @PostMapping("/v1/users/import")
    @PreAuthorize("hasAuthority('SCOPE_users:write')")
    ImportResult importUsers(@Valid @RequestBody ImportRequest request, Authentication authentication) {
        Map<String, User.Profile> profiles = new LinkedHashMap<>();
        request.users().forEach(u -> profiles.put(u.userId(),
                new User.Profile(u.displayName(), u.email(), u.metadata(), u.locale())));
        Map<Users.Outcome, Integer> counts = users.importUsers(app(authentication), profiles);
        return new ImportResult(counts.getOrDefault(Users.Outcome.CREATED, 0),
                counts.getOrDefault(Users.Outcome.UPDATED, 0), counts.getOrDefault(Users.Outcome.UNCHANGED, 0));
    }

    private static String app(Authentication authentication) {
        return Caller.of(authentication).requireApp("Users are provisioned with an app token");
    }
}
