package io.switchboard.membership;

import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestTokenIssuer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;

/** An app's directory built over HTTP, as the app's servers would: departments, tags and their members. */
final class TestDirectory {

    private final TestHttp http;
    private final String token;

    private TestDirectory(TestHttp http, String appId) {
        this.http = http;
        this.token = bearer(TestTokenIssuer.shared().appToken(appId, "users:write"));
    }

    /**
     * The directory tests start from: users u1 to u5, departments sales > sales-emea > sales-de and
     * the tag oncall; u1 in sales, u2 in sales-emea, u3 in sales-de, u5 in oncall.
     */
    static TestDirectory salesTree(TestHttp http, String appId) {
        TestUsers.provision(http, appId, List.of("u1", "u2", "u3", "u4", "u5"));
        TestDirectory directory = new TestDirectory(http, appId);
        created(directory.group("sales", "DEPARTMENT", null));
        created(directory.group("sales-emea", "DEPARTMENT", "sales"));
        created(directory.group("sales-de", "DEPARTMENT", "sales-emea"));
        created(directory.group("oncall", "TAG", null));
        directory.add("sales", "u1");
        directory.add("sales-emea", "u2");
        directory.add("sales-de", "u3");
        directory.add("oncall", "u5");
        return directory;
    }

    TestHttp.Response group(String id, String kind, String parentId) {
        Map<String, Object> body = new HashMap<>(Map.of("groupId", id, "kind", kind, "name", id));
        if (parentId != null) {
            body.put("parentId", parentId);
        }
        return http.postJson("/v1/directory-groups", token, body);
    }

    void add(String groupId, String userId) {
        TestHttp.Response added = http.postJson("/v1/directory-groups/" + groupId + "/members", token,
                Map.of("userIds", List.of(userId)));
        assertThat(added.status()).as(added.body()).isEqualTo(200);
    }

    static void created(TestHttp.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }
}
