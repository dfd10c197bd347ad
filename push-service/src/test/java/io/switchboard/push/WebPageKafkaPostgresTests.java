package io.switchboard.push;

import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestHttp;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The end-user page and its settings are served without a token, under a strict Content-Security-Policy. */
class WebPageKafkaPostgresTests extends ServiceIntegrationTest {

    @Test
    void pageIsServedAtTheRootWithAPolicyThatAllowsOnlyThisServiceMessageServiceAndMembershipService() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("<script type=\"module\" src=\"web/app.js\"></script>");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self' http://127.0.0.1:8083 http://127.0.0.1:8082;",
                        "frame-ancestors 'none'");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        for (String script : new String[] {"app.js", "api.js", "display-names.js", "inbox.js", "push-client.js", "session.js", "sync.js", "view.js"}) {
            TestHttp.Response file = http().get("/web/" + script, null);
            assertThat(file.status()).as(script).isEqualTo(200);
            assertThat(file.contentType()).as(script).startsWith("text/javascript");
        }
    }

    @Test
    void webConfigTellsThePageWhereMessageServiceAndMembershipServiceAre() {
        TestHttp.Response config = http().get("/v1/web-config", null);

        assertThat(config.status()).isEqualTo(200);
        assertThat(config.text("messageServiceUrl")).isEqualTo("http://127.0.0.1:8083");
        assertThat(config.text("membershipServiceUrl")).isEqualTo("http://127.0.0.1:8082");
    }

    @Test
    void everythingElseStillNeedsAToken() {
        assertThat(http().get("/v1/anything", null).status()).isEqualTo(401);
        assertThat(http().get("/actuator/env", null).status()).isIn(401, 403);
    }
}
