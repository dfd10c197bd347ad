package io.switchboard.message.messages;

import io.switchboard.platform.testing.ServiceIntegrationTest;
import io.switchboard.platform.testing.TestApps;
import io.switchboard.platform.testing.TestHttp;
import io.switchboard.platform.testing.TestMembership;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.switchboard.platform.testing.TestHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Message bodies are encrypted at rest: the database alone reveals no message text. */
class BodyEncryptionKafkaPostgresTests extends ServiceIntegrationTest {

    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlaintextBodiesMigration migration;

    @BeforeEach
    void appAndVaultExist() {
        TestApps.active(appId);
        TestMembership.group(appId, "vault", "Vault", List.of("alice", "bob"));
        await().atMost(Duration.ofSeconds(10)).until(() -> http().get("/v1/conversations/vault/messages",
                token("bob")).status() == 200);
    }

    @Test
    void aDumpOfEveryTableRevealsNoMessageText() throws Exception {
        String secret = "the launch code is " + UUID.randomUUID();
        TestHttp.Response sent = http().postJson("/v1/conversations/vault/messages", token("alice"),
                Map.of("type", "CARD", "text", secret, "card", Map.of("title", secret,
                        "fields", List.of(Map.of("label", "code", "value", secret)))), Map.of("Idempotency-Key", "k"));
        assertThat(sent.status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("SELECT count(*) FROM outbox").query(Long.class).single() == 0);

        List<String> revealing = dumpCellsContaining(secret);

        assertThat(revealing).isEmpty();
        assertThat(http().get("/v1/conversations/vault/messages", token("bob")).json().get("messages").get(0)
                .get("card").get("fields").get(0).get("value").asString()).isEqualTo(secret);
    }

    @Test
    void messagesStoredInPlainTextBeforeEncryptionAreEncryptedAndStayReadable() throws Exception {
        String legacy = "written before encryption " + UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO messages (app_id, conversation_id, seq, message_id, sender_id, sender_type, content_type,
                                              text, created_at)
                        VALUES (?, 'vault', 1, ?, 'alice', 'USER', 'TEXT', ?, ?)""")
                .params(appId, "m_legacy_" + UUID.randomUUID().toString().replace("-", ""), legacy, OffsetDateTime.now())
                .update();
        assertThat(dumpCellsContaining(legacy)).isNotEmpty();

        migration.encryptRemainingPlaintext();

        assertThat(dumpCellsContaining(legacy)).isEmpty();
        assertThat(http().get("/v1/conversations/vault/messages/1", token("bob")).text("text")).isEqualTo(legacy);
    }

    /** Reads every column of every row of every table of the service's schema, as a dump would. */
    private List<String> dumpCellsContaining(String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = connection.getMetaData().getTables(null, connection.getSchema(), "%", new String[]{"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("messages", "outbox", "message_keys");
            for (String table : tables) {
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rows.getMetaData();
                    while (rows.next()) {
                        for (int column = 1; column <= meta.getColumnCount(); column++) {
                            boolean binary = Set.of(Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB)
                                    .contains(meta.getColumnType(column));
                            byte[] value = binary ? rows.getBytes(column) : bytes(rows.getString(column));
                            if (value != null && indexOf(value, needle) >= 0) {
                                found.add(table + "." + meta.getColumnName(column));
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    private static byte[] bytes(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private String token(String userId) {
        return bearer(tokens.userToken(appId, userId, "messages:read", "messages:write"));
    }
}
