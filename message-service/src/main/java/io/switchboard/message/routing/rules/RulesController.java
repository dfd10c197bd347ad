package io.switchboard.message.routing.rules;

import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import io.switchboard.platform.web.EntityVersions;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** An app's routing rules over HTTP (app tokens with {@code routing:admin}). */
@RestController
@Validated
@RequestMapping("/v1/routing/rules")
@PreAuthorize("hasAuthority('SCOPE_routing:admin')")
class RulesController {

    private final Rules rules;

    RulesController(Rules rules) {
        this.rules = rules;
    }

    record RuleResponse(String ruleId, long version, Instant createdAt, Instant updatedAt, RuleDefinition definition) {
        static RuleResponse of(Rule rule) {
            return new RuleResponse(rule.ruleId(), rule.version(), rule.createdAt(), rule.updatedAt(), rule.definition());
        }
    }

    record RulePage(List<RuleResponse> rules, String nextCursor) {
    }

    record ChangeResponse(long version, String change, RuleDefinition definition, String changedBy, Instant changedAt) {
    }

    @Operation(summary = "Create a routing rule with a generated id")
    @PostMapping
    ResponseEntity<RuleResponse> create(@Valid @RequestBody RuleDefinition definition, Authentication authentication) {
        return created(rules.create(Caller.of(authentication), null, definition));
    }

    @Operation(summary = "Create or replace a routing rule",
            description = "If-Match: \"<version>\" replaces only that version (412 rule-version-mismatch otherwise); "
                    + "If-None-Match: * creates only (409 rule-exists otherwise); without either, creates or replaces.")
    @PutMapping("/{ruleId}")
    ResponseEntity<RuleResponse> put(@PathVariable String ruleId, @Valid @RequestBody RuleDefinition definition,
                                     @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                     @RequestHeader(name = "If-None-Match", required = false) String ifNoneMatch,
                                     Authentication authentication) {
        Long expected = EntityVersions.ifMatch(ifMatch, "rule");
        boolean createOnly = ifNoneMatch != null && "*".equals(ifNoneMatch.trim());
        if (expected != null && createOnly) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Give If-Match or If-None-Match, not both");
        }
        Rules.Saved saved = rules.put(Caller.of(authentication), ruleId, expected, createOnly, definition);
        return saved.created() ? created(saved.rule()) : withETag(saved.rule());
    }

    @Operation(summary = "Read a routing rule")
    @GetMapping("/{ruleId}")
    ResponseEntity<RuleResponse> get(@PathVariable String ruleId, Authentication authentication) {
        return withETag(rules.get(Caller.of(authentication), ruleId));
    }

    @Operation(summary = "List the app's routing rules", description = "By rule id; pass nextCursor as cursor for the next page.")
    @GetMapping
    RulePage list(@RequestParam(required = false) String cursor,
                  @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit, Authentication authentication) {
        List<Rule> page = rules.list(Caller.of(authentication), cursor, limit);
        return new RulePage(page.stream().map(RuleResponse::of).toList(),
                page.size() == limit ? page.getLast().ruleId() : null);
    }

    @Operation(summary = "Delete a routing rule", description = "If-Match: \"<version>\" deletes only that version.")
    @DeleteMapping("/{ruleId}")
    ResponseEntity<Void> delete(@PathVariable String ruleId,
                                @RequestHeader(name = "If-Match", required = false) String ifMatch,
                                Authentication authentication) {
        rules.delete(Caller.of(authentication), ruleId, EntityVersions.ifMatch(ifMatch, "rule"));
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "A rule's audit trail", description = "Every version: CREATED, UPDATED or DELETED, by whom and when.")
    @GetMapping("/{ruleId}/history")
    List<ChangeResponse> history(@PathVariable String ruleId, Authentication authentication) {
        return rules.history(Caller.of(authentication), ruleId).stream()
                .map(c -> new ChangeResponse(c.version(), c.change(), c.definition(), c.changedBy(), c.changedAt()))
                .toList();
    }

    private static ResponseEntity<RuleResponse> created(Rule rule) {
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/v1/routing/rules/" + rule.ruleId()))
                .eTag(EntityVersions.eTag(rule.version())).body(RuleResponse.of(rule));
    }

    private static ResponseEntity<RuleResponse> withETag(Rule rule) {
        return ResponseEntity.ok().eTag(EntityVersions.eTag(rule.version())).body(RuleResponse.of(rule));
    }
}
