package io.switchboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** OpenSSL's own ECDSA P-256 figure on this machine, the peer of the token benchmark. */
final class OpenSslSpeed {

    /** The result line: {@code 256 bits ecdsa (nistp256)   0.0000s   0.0001s  39428.9  10865.0}. */
    private static final Pattern NISTP256 = Pattern.compile("ecdsa \\(nistp256\\)\\s+\\S+\\s+\\S+\\s+(\\S+)\\s+(\\S+)");

    private OpenSslSpeed() {
    }

    /** Verifications per second on one core, or empty when OpenSSL is not installed or says nothing we can read. */
    static OptionalDouble p256VerificationsPerSecond() {
        try {
            Process process = new ProcessBuilder("openssl", "speed", "-seconds", "5", "ecdsap256")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return OptionalDouble.empty();
            }
            Matcher matcher = NISTP256.matcher(output);
            return matcher.find() ? OptionalDouble.of(Double.parseDouble(matcher.group(2))) : OptionalDouble.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }
}
