package io.switchboard.message.routing.noise;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Throttle and digest keys are rendered from events; a long one is replaced by its hash to fit its column. */
final class Keys {

    private static final int MAX_LENGTH = 200;

    private Keys() {
    }

    static String bounded(String key) {
        if (key.length() <= MAX_LENGTH) {
            return key;
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
