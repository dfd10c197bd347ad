package io.switchboard.platform.directory;

import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.util.List;

import static io.switchboard.platform.directory.ActiveUsersIndexTests.alice;
import static org.assertj.core.api.Assertions.assertThat;

/** The view's own rule; its indexes are {@link ActiveUsersIndexTests}, the whole path membership-service's tests. */
class UsersViewTests {

    private final UsersView view = new UsersView(new KafkaProperties());

    @Test
    void anOlderStateDoesNotSupersedeANewerOne() {
        assertThat(view.supersedes(alice(2, List.of("sales"), List.of()), alice(1, List.of(), List.of()))).isFalse();
        assertThat(view.supersedes(alice(2, List.of("sales"), List.of()), alice(2, List.of("sales"), List.of()))).isTrue();
        assertThat(view.supersedes(alice(2, List.of("sales"), List.of()), alice(3, List.of(), List.of()))).isTrue();
    }
}
