package io.switchboard.push.webhooks.endpoints;

import io.switchboard.platform.problems.ApiException;
import io.switchboard.platform.problems.ErrorCode;
import io.switchboard.platform.security.Caller;
import io.switchboard.push.webhooks.WebhookEventType;
import io.switchboard.push.webhooks.WebhookProperties;
import io.switchboard.push.webhooks.destinations.DestinationPolicy;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * An app's webhook endpoints: registration (URL checked by the {@link DestinationPolicy}), changes,
 * enabling and disabling, secret rotation. Everything is scoped to the caller's app: another app's
 * endpoint is {@code webhook-endpoint-not-found}.
 */
@Service
public class Endpoints {

    /** The longest a rotated-out secret may keep signing. */
    static final Duration MAX_OVERLAP = Duration.ofDays(7);

    private final EndpointStore store;
    private final EndpointSecrets secrets;
    private final DestinationPolicy destinations;
    private final ApplicationEventPublisher events;
    private final WebhookProperties properties;
    private final EndpointHealthStore health;

    Endpoints(EndpointStore store, EndpointSecrets secrets, DestinationPolicy destinations,
              ApplicationEventPublisher events, WebhookProperties properties, EndpointHealthStore health) {
        this.store = store;
        this.secrets = secrets;
        this.destinations = destinations;
        this.events = events;
        this.properties = properties;
        this.health = health;
    }

    /** What an app asks for; null fields of a change keep their value. */
    record Settings(String url, List<String> eventTypes, String description, String botUserId, Boolean enabled) {
    }

    /** A new endpoint and its signing secret, which is shown this once. */
    record Created(Endpoint endpoint, String secret) {
    }

    @Transactional
    Created register(Caller caller, Settings settings) {
        String appId = caller.requireApp("Webhook endpoints are managed with an app token");
        if (store.count(appId) >= properties.maxEndpointsPerApp()) {
            throw new ApiException(ErrorCode.WEBHOOK_ENDPOINT_LIMIT_REACHED,
                    "An app may have " + properties.maxEndpointsPerApp() + " webhook endpoints");
        }
        Instant now = now();
        boolean enabled = settings.enabled() == null || settings.enabled();
        Endpoint endpoint = validated(new Endpoint("we_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20),
                appId, checkedUrl(settings.url()), settings.description(), eventTypes(settings.eventTypes()),
                settings.botUserId(), enabled, enabled ? null : Endpoint.DisabledReason.APP, enabled ? null : now,
                null, now, now, 1));
        store.insert(endpoint);
        return new Created(endpoint, secrets.create(endpoint.endpointId(), now));
    }

    Endpoint get(Caller caller, String endpointId) {
        return store.find(appOf(caller), endpointId).orElseThrow(() -> notFound(endpointId));
    }

    List<Endpoint> list(Caller caller) {
        return store.list(appOf(caller));
    }

    /**
     * Changes an endpoint. Enabling one that was disabled (by the app or for failing) starts it
     * afresh; disabling one settles its pending deliveries as failed ({@code endpoint-disabled}),
     * to be replayed once it is enabled again.
     */
    @Transactional
    Endpoint change(Caller caller, String endpointId, Settings change) {
        Endpoint current = store.findForUpdate(appOf(caller), endpointId).orElseThrow(() -> notFound(endpointId));
        Instant now = now();
        boolean enabled = change.enabled() == null ? current.enabled() : change.enabled();
        boolean enabling = enabled && !current.enabled();
        boolean disabling = !enabled && current.enabled();
        Endpoint changed = validated(new Endpoint(current.endpointId(), current.appId(),
                change.url() == null ? current.url() : checkedUrl(change.url()),
                change.description() == null ? current.description() : change.description(),
                change.eventTypes() == null ? current.eventTypes() : eventTypes(change.eventTypes()),
                change.botUserId() == null ? current.botUserId() : emptyToNull(change.botUserId()),
                enabled,
                enabled ? null : disabling ? Endpoint.DisabledReason.APP : current.disabledReason(),
                enabled ? null : disabling ? now : current.disabledAt(),
                enabling ? null : current.failingSince(),
                current.createdAt(), now, current.version() + 1));
        store.update(changed);
        if (enabling) {
            health.reset(endpointId);
        }
        if (disabling) {
            events.publishEvent(new EndpointDisabled(changed.appId(), endpointId, false));
        }
        return changed;
    }

    @Transactional
    void delete(Caller caller, String endpointId) {
        String appId = appOf(caller);
        if (!store.delete(appId, endpointId)) {
            throw notFound(endpointId);
        }
        events.publishEvent(new EndpointDisabled(appId, endpointId, true));
    }

    /** A new signing secret; the old one keeps signing beside it for {@code overlap} (default {@code secret-overlap}). */
    @Transactional
    String rotateSecret(Caller caller, String endpointId, Duration overlap) {
        Endpoint endpoint = get(caller, endpointId);
        Duration kept = overlap == null ? properties.secretOverlap() : overlap;
        if (kept.isNegative() || kept.compareTo(MAX_OVERLAP) > 0) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The overlap must be between 0 and " + MAX_OVERLAP.toDays() + " days");
        }
        Instant now = now();
        return secrets.rotate(endpoint.endpointId(), now, now.plus(kept));
    }

    List<EndpointSecrets.SecretInfo> secrets(Endpoint endpoint) {
        return secrets.list(endpoint.endpointId(), now());
    }

    /** How the endpoint's deliveries are going, as every instance sees it. */
    EndpointHealth health(Endpoint endpoint) {
        return health.health(List.of(endpoint.endpointId()), Instant.now()).get(endpoint.endpointId());
    }

    private Endpoint validated(Endpoint endpoint) {
        boolean wantsMessages = endpoint.eventTypes().stream().anyMatch(WebhookEventType::isMessageEvent);
        if (wantsMessages && endpoint.botUserId() == null) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Message events need botUserId: the app's bot user, "
                    + "whose conversations' messages the endpoint hears of");
        }
        return endpoint;
    }

    private URI checkedUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ApiException(ErrorCode.WEBHOOK_URL_REFUSED, "Not a URL: " + e.getReason());
        }
        destinations.checkRegistration(uri);
        return uri;
    }

    private static Set<WebhookEventType> eventTypes(List<String> names) {
        Set<WebhookEventType> types = EnumSet.noneOf(WebhookEventType.class);
        for (String name : names) {
            types.add(WebhookEventType.fromWireName(name).filter(WebhookEventType::isSubscribable)
                    .orElseThrow(() -> new ApiException(ErrorCode.VALIDATION_FAILED, "Unknown event type '" + name
                            + "'; known: " + Arrays.stream(WebhookEventType.values()).filter(WebhookEventType::isSubscribable)
                            .map(WebhookEventType::wireName).collect(Collectors.joining(", ")))));
        }
        if (types.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Name at least one event type");
        }
        return types;
    }

    private static String appOf(Caller caller) {
        return caller.requireApp("Webhook endpoints are managed with an app token");
    }

    private static String emptyToNull(String value) {
        return value.isBlank() ? null : value;
    }

    private static ApiException notFound(String endpointId) {
        return new ApiException(ErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND, "No webhook endpoint " + endpointId);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
