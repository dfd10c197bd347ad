package io.switchboard.message.crypto;

import io.switchboard.platform.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** An app's view of the keys that encrypt its messages at rest: which there are, and rotation. */
@RestController
class MessageKeysController {

    private final MessageKeys keys;

    MessageKeysController(MessageKeys keys) {
        this.keys = keys;
    }

    record KeysResponse(List<MessageKeys.KeyInfo> keys) {
    }

    @Operation(summary = "List the app's message keys", description = "Key ids only; secrets never leave the service.")
    @GetMapping("/v1/message-keys")
    @PreAuthorize("hasAuthority('SCOPE_messages:admin')")
    KeysResponse list(Authentication authentication) {
        return new KeysResponse(keys.keys(Caller.of(authentication).requireApp("Only the app manages its message keys")));
    }

    @Operation(summary = "Rotate the app's message key",
            description = "Adds a new primary key: new messages are encrypted with it, earlier ones stay readable.")
    @PostMapping("/v1/message-keys/rotate")
    @PreAuthorize("hasAuthority('SCOPE_messages:admin')")
    KeysResponse rotate(Authentication authentication) {
        return new KeysResponse(keys.rotate(Caller.of(authentication).requireApp("Only the app manages its message keys")));
    }
}
