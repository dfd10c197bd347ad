package io.switchboard.auth.secrets;

import io.switchboard.auth.AuthProperties;
import io.switchboard.platform.crypto.BoundCipher;
import org.springframework.stereotype.Component;

/**
 * Encrypts auth-service's secrets at rest (App Certificates, signing keys): a database dump alone
 * reveals none of them.
 */
@Component
public class SecretsCipher extends BoundCipher {

    SecretsCipher(AuthProperties properties) {
        super(properties.keyEncryption(), "switchboard.auth.key-encryption");
    }
}
