package io.switchboard.push.webpage;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the end-user page needs to know that it cannot learn from its own URL. */
@RestController
class WebConfigController {

    static final String PATH = "/v1/web-config";

    /**
     * @param messageServiceUrl    where the page reads history, sends messages and marks read
     * @param membershipServiceUrl where the page reads the display names of a conversation's members
     */
    record WebConfig(String messageServiceUrl, String membershipServiceUrl) {
    }

    private final WebPageProperties properties;

    WebConfigController(WebPageProperties properties) {
        this.properties = properties;
    }

    @Operation(summary = "The end-user page's settings", description = "Public: holds nothing secret.")
    @GetMapping(PATH)
    WebConfig webConfig() {
        return new WebConfig(properties.messageServiceBase(), properties.membershipServiceBase());
    }
}
