package io.switchboard.platform.web;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CorsPropertiesTests {

    @Test
    void noOriginMeansNoCrossOriginAccess() {
        assertThat(new CorsProperties(null, Duration.ofHours(1)).enabled()).isFalse();
        assertThat(new CorsProperties(List.of("https://push.example.com", "http://127.0.0.1:8084"), Duration.ofHours(1))
                .enabled()).isTrue();
    }

    @Test
    void anythingButABareHttpOriginIsRefusedAtStartup() {
        for (String notAnOrigin : List.of("*", "push.example.com", "https://push.example.com/", "https://push.example.com/app",
                "ftp://push.example.com", "https://*.example.com", "https://user@push.example.com")) {
            assertThatThrownBy(() -> new CorsProperties(List.of(notAnOrigin), Duration.ofHours(1)))
                    .as(notAnOrigin).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("switchboard.http.cors.allowed-origins");
        }
    }
}
