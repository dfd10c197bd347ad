package io.switchboard.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP API limits of a service.
 *
 * @param maxRequestSize largest request body accepted; larger ones get 413 {@code payload-too-large}
 */
@ConfigurationProperties("switchboard.api")
public record ApiProperties(@DefaultValue("256KB") DataSize maxRequestSize) {
}
