package io.switchboard.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines for child JVMs, run by the same Java installation as this process. */
final class Java {

    private Java() {
    }

    static String executable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** {@code java <jvmOptions> <rest>}. */
    static List<String> command(List<String> jvmOptions, List<String> rest) {
        List<String> command = new ArrayList<>();
        command.add(executable());
        command.addAll(jvmOptions);
        command.addAll(rest);
        return command;
    }
}
