package io.switchboard.chaos;

import io.switchboard.stack.ManagedProcess;
import io.switchboard.stack.Net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server the chaos suite owns: {@code initdb} into its own folder and
 * {@code pg_ctl} on a free loopback port, never the machine's shared instance, so it can be
 * stopped and started again as a fault. PostgreSQL refuses to run as root: run as root, its
 * commands run as the {@code postgres} user, who owns the folder.
 */
final class PostgresServer implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

    private final Path bin;
    private final Path directory;
    private final int port;

    private PostgresServer(Path bin, Path directory, int port) {
        this.bin = bin;
        this.directory = directory;
        this.port = port;
    }

    /** Creates a cluster (trust authentication on loopback, no Unix socket) and starts it. */
    static PostgresServer create() {
        Path bin = locateBin();
        try {
            Path directory = Files.createTempDirectory("switchboard-chaos-postgres");
            if (runningAsRoot()) {
                ManagedProcess.run("chown", List.of("chown", "postgres", directory.toString()), directory,
                        Path.of("/dev/null"), COMMAND_TIMEOUT);
            }
            PostgresServer server = new PostgresServer(bin, directory, Net.freePort());
            server.pgCommand("initdb", List.of(bin.resolve("initdb").toString(), "-D", server.data().toString(),
                    "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-instructions"));
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the PostgreSQL folder", e);
        }
    }

    /** Starts the server on its data (again) and waits until it takes connections. */
    void start() {
        pgCommand("pg_ctl-start", List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(),
                "-l", directory.resolve("postgres.log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -c listen_addresses=" + Net.LOOPBACK + " -c unix_socket_directories=''"
                        + " -c max_connections=300", "start"));
    }

    /** Stops the server the fast way (open transactions are rolled back, clients disconnected). */
    void stop() {
        pgCommand("pg_ctl-stop", List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(),
                "-m", "fast", "-w", "stop"));
    }

    void createDatabase(String name) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"));
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + Net.LOOPBACK + ":" + port + "/" + database + "?user=postgres";
    }

    int port() {
        return port;
    }

    private Path data() {
        return directory.resolve("data");
    }

    private void pgCommand(String name, List<String> command) {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        ManagedProcess.run(name, full, directory, directory.resolve(name + ".log"), COMMAND_TIMEOUT);
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The newest installed PostgreSQL's programs (Debian: /usr/lib/postgresql/N/bin). */
    private static Path locateBin() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(candidate -> Files.isExecutable(candidate.resolve("initdb")))
                    .max(Comparator.comparingInt(candidate -> Integer.parseInt(candidate.getParent().getFileName().toString())))
                    .orElseThrow();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("The chaos suite needs PostgreSQL's server programs (initdb, pg_ctl) "
                    + "under /usr/lib/postgresql/<version>/bin (Debian: apt-get install postgresql)", e);
        }
    }

    /** Stops the server at once and deletes its folder. */
    @Override
    public void close() {
        try {
            pgCommand("pg_ctl-stop", List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(),
                    "-m", "immediate", "-w", "stop"));
        } catch (RuntimeException e) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + directory + ": " + e.getMessage());
        }
    }
}
