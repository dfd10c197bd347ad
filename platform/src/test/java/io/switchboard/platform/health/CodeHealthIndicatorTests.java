package io.switchboard.platform.health;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CodeHealthIndicatorTests {

    @TempDir
    Path folder;

    @Test
    void aJarRebuiltUnderTheServiceIsDown() throws IOException {
        Path jar = Files.write(folder.resolve("service.jar"), new byte[]{1, 2, 3});
        CodeHealthIndicator code = new CodeHealthIndicator(jar);
        assertThat(code.health().getStatus()).isEqualTo(Status.UP);

        // what a rebuild does: the same path, new content, a later modification time
        Files.write(jar, new byte[]{1, 2, 3, 4});
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(code.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(code.health().getDetails().get("state").toString()).contains("replaced since start");
    }

    @Test
    void aJarTouchedWithTheSameContentIsDownToo() throws IOException {
        Path jar = Files.write(folder.resolve("service.jar"), new byte[]{1, 2, 3});
        CodeHealthIndicator code = new CodeHealthIndicator(jar);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));

        assertThat(code.health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void aDeletedJarIsDown() throws IOException {
        Path jar = Files.write(folder.resolve("service.jar"), new byte[]{1});
        CodeHealthIndicator code = new CodeHealthIndicator(jar);

        Files.delete(jar);

        assertThat(code.health().getDetails().get("state").toString()).contains("deleted since start");
        assertThat(code.health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void runFromClassesThereIsNoJarToWatch() {
        assertThat(new CodeHealthIndicator(folder).health().getStatus()).isEqualTo(Status.UP);
        // the tests' own JVM runs from a class path of folders and jars
        assertThat(CodeHealthIndicator.ofLaunchedJar().health().getDetails()).containsEntry("jar", "none (run from classes)");
    }
}
