package io.switchboard.message.routing.rules;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * An app's routing rules: created, replaced and deleted over HTTP, each change a new version with
 * an audit entry (who, when, what). Routing asks for the enabled rules of a source on every event:
 * one indexed query for ids and versions, compiled rules cached by version, so every instance sees
 * a change with its next event and nothing is compiled twice.
 */
@Service
public class Rules {

    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final RuleStore store;
    private final Map<String, CompiledRule> compiled = new ConcurrentHashMap<>();

    Rules(RuleStore store) {
        this.store = store;
    }

    @Transactional
    public Rule create(Caller caller, String ruleId, RuleDefinition definition) {
        String appId = caller.requireApp("Only the app manages its routing rules");
        String id = ruleId != null ? checkedId(ruleId) : "r_" + UUID.randomUUID().toString().replace("-", "");
        RuleCompiler.compile(appId, id, 1, definition);
        Instant now = now();
        long version = store.lastVersion(appId, id) + 1;
        Rule rule = new Rule(appId, id, version, definition, now, now);
        if (!store.insert(rule)) {
            throw new ApiException(ErrorCode.RULE_EXISTS, "Rule " + id + " already exists");
        }
        store.recordChange(appId, id, version, "CREATED", definition, caller.subject(), now);
        return rule;
    }

    /** What {@link #put} did: the rule as saved, and whether it was created. */
    public record Saved(Rule rule, boolean created) {
    }

    /**
     * Creates or replaces a rule under the caller's id: {@code expectedVersion} (If-Match) replaces
     * only that version, {@code createOnly} (If-None-Match: *) only creates.
     */
    @Transactional
    public Saved put(Caller caller, String ruleId, Long expectedVersion, boolean createOnly, RuleDefinition definition) {
        String appId = caller.requireApp("Only the app manages its routing rules");
        if (createOnly || expectedVersion == null && store.lock(appId, ruleId).isEmpty()) {
            return new Saved(create(caller, ruleId, definition), true);
        }
        return new Saved(replace(caller, ruleId, expectedVersion, definition), false);
    }

    private Rule replace(Caller caller, String ruleId, Long expectedVersion, RuleDefinition definition) {
        String appId = caller.appId();
        Rule current = locked(appId, ruleId, expectedVersion);
        RuleCompiler.compile(appId, ruleId, current.version() + 1, definition);
        Instant now = now();
        Rule rule = new Rule(appId, ruleId, current.version() + 1, definition, current.createdAt(), now);
        store.update(rule);
        store.recordChange(appId, ruleId, rule.version(), "UPDATED", definition, caller.subject(), now);
        return rule;
    }

    @Transactional
    public void delete(Caller caller, String ruleId, Long expectedVersion) {
        String appId = caller.requireApp("Only the app manages its routing rules");
        Rule current = locked(appId, ruleId, expectedVersion);
        store.delete(appId, ruleId);
        store.recordChange(appId, ruleId, current.version() + 1, "DELETED", null, caller.subject(), now());
        compiled.remove(key(appId, ruleId));
    }

    public Rule get(Caller caller, String ruleId) {
        String appId = caller.requireApp("Only the app manages its routing rules");
        return store.find(appId, ruleId).orElseThrow(() -> notFound(ruleId));
    }

    public List<Rule> list(Caller caller, String afterRuleId, int limit) {
        return store.list(caller.requireApp("Only the app manages its routing rules"), afterRuleId, limit);
    }

    List<RuleStore.Change> history(Caller caller, String ruleId) {
        List<RuleStore.Change> history = store.history(caller.requireApp("Only the app manages its routing rules"), ruleId);
        if (history.isEmpty()) {
            throw notFound(ruleId);
        }
        return history;
    }

    /** The enabled rules of an app for events of {@code source}, compiled. */
    public List<CompiledRule> enabledFor(String appId, String source) {
        return store.enabledStamps(appId, source).stream()
                .map(stamp -> {
                    CompiledRule rule = compiled.get(key(appId, stamp.ruleId()));
                    return rule != null && rule.version() == stamp.version() ? Optional.of(rule) : load(appId, stamp.ruleId());
                })
                .flatMap(Optional::stream)
                .toList();
    }

    /** A rule as it is now, compiled; empty when there is no such rule. */
    public Optional<CompiledRule> compiled(String appId, String ruleId) {
        return load(appId, ruleId);
    }

    /** Compiles a rule that is not stored (a dry run of a draft); invalid rules are refused like on save. */
    public CompiledRule draft(String appId, RuleDefinition definition) {
        return RuleCompiler.compile(appId, "draft", 0, definition);
    }

    private Optional<CompiledRule> load(String appId, String ruleId) {
        return store.find(appId, ruleId).map(rule -> {
            CompiledRule fresh = RuleCompiler.compile(appId, ruleId, rule.version(), rule.definition());
            compiled.put(key(appId, ruleId), fresh);
            return fresh;
        });
    }

    private Rule locked(String appId, String ruleId, Long expectedVersion) {
        Rule current = store.lock(appId, ruleId).orElseThrow(() -> notFound(ruleId));
        if (expectedVersion != null && expectedVersion != current.version()) {
            throw new ApiException(ErrorCode.RULE_VERSION_MISMATCH, "Rule " + ruleId + " is at version "
                    + current.version() + ", not " + expectedVersion);
        }
        return current;
    }

    private static String checkedId(String ruleId) {
        if (!RULE_ID.matcher(ruleId).matches()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED,
                    "ruleId must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return ruleId;
    }

    private static String key(String appId, String ruleId) {
        return appId + "/" + ruleId;
    }

    private static ApiException notFound(String ruleId) {
        return new ApiException(ErrorCode.RULE_NOT_FOUND, "No routing rule " + ruleId);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
