package io.switchboard.e2e;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's walkthrough is {@code examples/quickstart.sh}'s, line for line, so what CI runs (the
 * script, against {@code ./switchboard start}) is what a reader pastes.
 */
class QuickstartWalkthroughTests {

    private static final Path PROJECT = Path.of(System.getProperty("switchboard.project.dir", ".."));
    private static final String BEGIN = "# >>> walkthrough\n";
    private static final String END = "# <<< walkthrough\n";

    @Test
    void readmeShowsTheScriptsWalkthroughWordForWord() throws IOException {
        String script = Files.readString(PROJECT.resolve("examples/quickstart.sh"));
        String walkthrough = script.substring(script.indexOf(BEGIN) + BEGIN.length(), script.indexOf(END));
        String readme = Files.readString(PROJECT.resolve("README.md"));
        String usingIt = readme.substring(readme.indexOf("## Using it"), readme.indexOf("\n## ", readme.indexOf("## Using it") + 1));

        assertThat(walkthrough.lines().count()).isGreaterThan(20);
        assertThat(usingIt).contains("```sh\n" + walkthrough + "```\n");
    }

    @Test
    void theScriptIsExecutable() {
        assertThat(Files.isExecutable(PROJECT.resolve("examples/quickstart.sh"))).isTrue();
    }
}
