package io.switchboard.platform.web;

import io.switchboard.platform.apps.AppStateView;
import io.switchboard.platform.problems.ProblemResponses;
import io.switchboard.platform.ratelimit.AppRateLimiter;
import io.switchboard.platform.ratelimit.RateLimitProperties;
import io.switchboard.platform.security.ScopesBeforeBodies;
import io.switchboard.platform.web.errors.ContainerErrorsConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.module.SimpleModule;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * What every service's HTTP API shares: admission under load, problem responses, the request body limit, per-app rate
 * limiting, the problem responses in the OpenAPI document and the cross-origin allow-list
 * ({@link CorsProperties}, applied by the bearer-token security chain).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({RateLimitProperties.class, ApiProperties.class, CorsProperties.class})
@Import({ProblemResponses.class, ProblemResponsesOpenApi.class, ContainerErrorsConfiguration.class})
public class ApiConfiguration implements WebMvcConfigurer {

    /** An endpoint's scope is checked before its request body is read ({@link ScopesBeforeBodies}). */
    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ScopesBeforeBodies());
    }

    /** Runs first: a request refused for load costs no token check, no body read. */
    @Bean
    FilterRegistrationBean<AdmissionFilter> admissionFilter(ApiProperties properties, MeterRegistry meters) {
        FilterRegistrationBean<AdmissionFilter> registration = new FilterRegistrationBean<>(
                new AdmissionFilter(properties.maxConcurrentRequests(), properties.maxConcurrentRequestsPerApp(),
                        properties.maxConcurrentUnauthenticatedRequests(), properties.maxQueueWait(), meters));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    /** Runs before security, so even unauthenticated oversized bodies are refused early. */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(ApiProperties properties) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(properties.maxRequestSize().toBytes(),
                        properties.maxRequestSizeByPath().entrySet().stream()
                                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toBytes())),
                        properties.maxBodyReadTime(), System::nanoTime));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** Registered with the JSON mapper by Boot: request bodies carry no NUL in their text. */
    @Bean
    SimpleModule textWithoutNul() {
        return TextWithoutNul.module();
    }

    @Bean
    AppRateLimiter appRateLimiter(AppStateView apps, RateLimitProperties properties) {
        return new AppRateLimiter(apps, properties);
    }
}
