package io.switchboard.message.routing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.util.List;

/**
 * Routes defined in configuration ({@code switchboard.routing.routes}).
 *
 * @param routes every route, tried in order; an event may match several
 */
@Validated
@ConfigurationProperties("switchboard.routing")
public record RoutingProperties(List<@Valid RouteDefinition> routes) {

    public RoutingProperties {
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    /**
     * One route: events of {@code source} and {@code eventType} become a notification in the
     * conversation {@code conversationId} of the event's app, with text rendered from {@code text}.
     *
     * @param id             stable identifier, recorded in every message it produces
     * @param source         source system to match, e.g. {@code crm}
     * @param eventType      event type to match, e.g. {@code deal.won}
     * @param conversationId target conversation, within the event's app
     * @param text           Mustache template of the notification text
     */
    public record RouteDefinition(@NotBlank String id, @NotBlank String source, @NotBlank String eventType,
                                  @NotBlank String conversationId, @NotBlank String text) {
    }
}
