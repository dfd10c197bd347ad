package io.switchboard.platform.testing;

import io.switchboard.platform.testing.TokenMatrix.Endpoint;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

/**
 * The token matrix of one bearer-token service: every endpoint it maps is listed, and each one
 * refuses missing, expired, forged, unsigned, foreign and under-scoped tokens. A new endpoint
 * fails {@link #matrixCoversEveryEndpoint} until it is added to {@link #endpoints()}.
 */
public abstract class TokenMatrixTest extends ServiceIntegrationTest {

    /** Every endpoint of the service, with a request that would succeed with the right token. */
    protected abstract List<Endpoint> endpoints();

    /** Mapped endpoints that are deliberately public (none in the services so far). */
    protected Set<String> publicEndpoints() {
        return Set.of();
    }

    @Test
    void matrixCoversEveryEndpoint() {
        TokenMatrix.assertCovers(mappings, endpoints(), publicEndpoints());
    }

    @Test
    void everyEndpointRefusesBadForeignAndUnderScopedTokens() {
        TokenMatrix.assertRefusals(http(), appId, otherAppId, endpoints());
    }
}
