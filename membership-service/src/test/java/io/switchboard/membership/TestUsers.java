package io.switchboard.membership;

import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestTokenIssuer;

import java.util.List;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** Provisions users through the import API (conversations accept only provisioned users). */
final class TestUsers {

    private TestUsers() {
    }

    static void provision(TestHttp http, String appId, List<String> userIds) {
        String token = bearer(TestTokenIssuer.shared().appToken(appId, "users:write"));
        for (int from = 0; from < userIds.size(); from += 1000) {
            List<Map<String, String>> batch = userIds.subList(from, Math.min(from + 1000, userIds.size())).stream()
                    .map(id -> Map.of("userId", id)).toList();
            TestHttp.Response imported = http.postJson("/v1/users/import", token, Map.of("users", batch));
            assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        }
    }
}
