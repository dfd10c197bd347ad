package io.switchboard.push.gateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientMessagesTests {

    /** At most 10 characters a message, 15 held over all sessions. */
    private final ClientMessages messages = new ClientMessages(10, 15);

    @Test
    void aWholeMessageIsHandedOnAsItCame() throws Exception {
        String whole = "{\"a\":1}";

        assertThat(messages.add("s1", whole, true)).isSameAs(whole);
        assertThat(messages.heldChars()).isZero();
    }

    @Test
    void partsAreJoinedPerSessionUntilTheLastOne() throws Exception {
        assertThat(messages.add("s1", "abc", false)).isNull();
        assertThat(messages.add("s2", "123", false)).isNull();
        assertThat(messages.add("s1", "def", false)).isNull();
        assertThat(messages.heldChars()).isEqualTo(9);

        assertThat(messages.add("s1", "g", true)).isEqualTo("abcdefg");
        assertThat(messages.add("s2", "45", true)).isEqualTo("12345");
        assertThat(messages.heldChars()).isZero();
    }

    @Test
    void aMessageOverTheLimitIsRefusedWith1009AndWhatCameOfItIsDropped() throws Exception {
        messages.add("s1", "abcdef", false);

        assertThatThrownBy(() -> messages.add("s1", "ghijk", true))
                .isInstanceOfSatisfying(ClientMessages.Refused.class, refused -> {
                    assertThat(refused.status().getCode()).isEqualTo(1009);
                    assertThat(refused.status().getReason()).isEqualTo("message too big: at most 10 characters");
                });
        assertThat(messages.heldChars()).isZero();
        assertThat(messages.add("s1", "short", true)).as("the next message starts afresh").isEqualTo("short");
    }

    @Test
    void partsBeyondTheBudgetOfAllSessionsAreRefusedWith1013UntilSomeAreDone() throws Exception {
        messages.add("s1", "123456789", false);
        messages.add("s2", "12345", false);

        assertThatThrownBy(() -> messages.add("s3", "12", false))
                .isInstanceOfSatisfying(ClientMessages.Refused.class,
                        refused -> assertThat(refused.status().getCode()).isEqualTo(1013));
        assertThat(messages.heldChars()).isEqualTo(14);

        messages.add("s1", "0", true);
        assertThat(messages.add("s3", "12", false)).as("room again once s1's message is whole").isNull();
    }

    @Test
    void aSessionThatClosesMidMessageGivesItsPartsBack() throws Exception {
        messages.add("s1", "123456789", false);

        messages.discard("s1");

        assertThat(messages.heldChars()).isZero();
        assertThat(messages.add("s1", "new", true)).isEqualTo("new");
    }
}
