package io.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A process's figures as Linux's {@code /proc} shows them to anyone on the machine, without asking
 * the process: fields of {@code /proc/<pid>/status} and its open file descriptors.
 */
final class ProcStatus {

    private ProcStatus() {
    }

    /** The process's resident set in bytes ({@code VmRSS}), or -1 if unknown. */
    static long residentBytes(long pid) {
        long kibibytes = field(pid, "VmRSS");
        return kibibytes < 0 ? -1 : kibibytes * 1024;
    }

    /** The process's threads (every OS thread; virtual threads are not counted), or -1 if unknown. */
    static long threads(long pid) {
        return field(pid, "Threads");
    }

    /** Its open file descriptors (files, sockets, pipes), or -1 if unknown. */
    static long openFiles(long pid) {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return descriptors.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The number in a {@code status} line, e.g. 57 for {@code Threads:  57} (kB for memory), or -1. */
    private static long field(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(name + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone, or no /proc: unknown
        }
        return -1;
    }
}
