package io.switchboard.deploy;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml, validated offline by docker-compose itself and against the catalog. */
class ComposeTests {

    @Test
    void composeFileIsValid() {
        assertThat(ComposeCheck.config(Project.COMPOSE, Project.COMPOSE_SECRETS)).isEmpty();
    }

    @Test
    void composeRefusesToStartWithoutItsSecrets() {
        assertThat(ComposeCheck.config(Project.COMPOSE, Map.of())).singleElement().asString()
                .contains("SWITCHBOARD_DB_PASSWORD");
    }

    @Test
    void composeImagesArePinned() {
        assertThat(ComposeCheck.images(Project.COMPOSE)).isEmpty();
    }

    @Test
    void composeCreatesEveryCatalogTopic() {
        assertThat(ComposeCheck.topics(Project.ROOT.resolve("deploy/compose/create-topics.sh"))).isEmpty();
    }

    @Test
    void composeVariablesAreDocumentedAndBind() {
        assertThat(EnvironmentRules.violations(EnvironmentRules.documented(Project.DEPLOY_README),
                EnvironmentRules.used(ComposeCheck.resolved(Project.COMPOSE, Project.COMPOSE_SECRETS)), EnvironmentRules.knownProperties(Project.ROOT))).isEmpty();
    }
}
