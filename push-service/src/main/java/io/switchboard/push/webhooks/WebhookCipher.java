package io.switchboard.push.webhooks;

import io.switchboard.platform.crypto.BoundCipher;
import org.springframework.stereotype.Component;

/**
 * Encrypts what webhooks keep at rest that a database dump must not reveal: endpoint signing
 * secrets and delivery payloads (message text), each bound to its row.
 */
@Component
public class WebhookCipher extends BoundCipher {

    WebhookCipher(WebhookProperties properties) {
        super(properties.keyEncryption(), "switchboard.webhooks.key-encryption");
    }
}
