package io.switchboard.auth.keys;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** Signing key rotation, by the platform admin (HTTP Basic). Never returns private key material. */
@RestController
@RequestMapping("/v1/signing-keys")
class SigningKeysController {

    private final SigningKeys keys;

    SigningKeysController(SigningKeys keys) {
        this.keys = keys;
    }

    record KeyResponse(String keyId, String algorithm, boolean signing, Instant createdAt, Instant activatesAt,
                       Instant retiredAt) {
    }

    @GetMapping
    List<KeyResponse> listSigningKeys() {
        String signing = keys.currentSigningKeyId();
        return keys.all().stream().map(k -> response(k, signing)).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    KeyResponse rotateSigningKey(Authentication admin) {
        return response(keys.rotate("admin:" + admin.getName()), keys.currentSigningKeyId());
    }

    @DeleteMapping("/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void retireSigningKey(@PathVariable String keyId, Authentication admin) {
        keys.retire("admin:" + admin.getName(), keyId);
    }

    private static KeyResponse response(SigningKeys.StoredKey key, String signingKeyId) {
        return new KeyResponse(key.keyId(), "ES256", key.keyId().equals(signingKeyId), key.createdAt(),
                key.activatesAt(), key.retiredAt());
    }
}
