package io.switchboard.stack;

/** The four Switchboard services, their module folders and default ports. */
public enum StackService {
    AUTH("auth-service", 8081),
    MEMBERSHIP("membership-service", 8082),
    MESSAGE("message-service", 8083),
    PUSH("push-service", 8084);

    private final String module;
    private final int defaultPort;

    StackService(String module, int defaultPort) {
        this.module = module;
        this.defaultPort = defaultPort;
    }

    public String module() {
        return module;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The actuator's own port (health, metrics) beside the default port: 9081 for 8081, and so on. */
    public int defaultManagementPort() {
        return defaultPort + 1000;
    }

    /** {@code -jar <jar>}: the executable jar the build leaves in the module's target folder. */
    public java.util.List<String> launch(java.nio.file.Path projectDirectory) {
        java.nio.file.Path jar = jar(projectDirectory);
        if (!java.nio.file.Files.isRegularFile(jar)) {
            throw new IllegalStateException(module + " is not built (" + jar + " is missing); run ./mvnw -DskipTests package");
        }
        return java.util.List.of("-jar", jar.toAbsolutePath().toString());
    }

    /** The executable jar the build leaves in the module's target folder. */
    public java.nio.file.Path jar(java.nio.file.Path projectDirectory) {
        return projectDirectory.resolve(module).resolve("target").resolve(module + ".jar");
    }
}
