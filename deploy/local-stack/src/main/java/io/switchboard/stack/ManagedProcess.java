package io.switchboard.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process whose output goes to a log file and which is stopped together with
 * everything it started: first politely (SIGTERM, so JVMs run their shutdown hooks), then,
 * after a grace period, forcibly.
 */
public final class ManagedProcess implements AutoCloseable {

    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path logFile;

    private ManagedProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code command}; standard output and error are appended to {@code logFile}. */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> environment,
                                       Path workingDirectory, Path logFile) {
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            return new ManagedProcess(name, builder.start(), logFile);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code command} to completion and fails with the tail of its output if it exits non-zero. */
    public static void run(String name, List<String> command, Path workingDirectory, Path logFile, Duration timeout) {
        ManagedProcess process = start(name, command, Map.of(), workingDirectory, logFile);
        try {
            if (!process.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.close();
                throw new IllegalStateException(name + " did not finish within " + timeout);
            }
            if (process.process.exitValue() != 0) {
                throw new IllegalStateException(name + " failed (exit " + process.process.exitValue() + "):\n"
                        + process.tail(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.close();
            throw new IllegalStateException(name + " was interrupted", e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** The last {@code lines} lines of the process's output, for error messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Kills the process at once (SIGKILL: no shutdown hooks run, nothing is flushed), as a crash would. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Freezes ({@code SIGSTOP}) or thaws ({@code SIGCONT}) the process, e.g. to make a broker unreachable. */
    public void signal(String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the process and its descendants, waiting up to {@code grace} before killing them. */
    public void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        stop(DEFAULT_GRACE);
    }
}
