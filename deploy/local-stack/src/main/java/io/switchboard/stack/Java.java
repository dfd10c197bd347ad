package io.switchboard.stack;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Command lines for child JVMs, run by the same Java installation as this process. */
public final class Java {

    private Java() {
    }

    static String executable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** {@code java <jvmOptions> <rest>}. */
    public static List<String> command(List<String> jvmOptions, List<String> rest) {
        List<String> command = new ArrayList<>();
        command.add(executable());
        command.addAll(jvmOptions);
        command.addAll(rest);
        return command;
    }

    /**
     * This JVM's class path with absolute entries, for a child that runs a class of it (Kafka's
     * own tools, say) in another working directory.
     */
    public static String absoluteClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
