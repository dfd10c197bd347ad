package io.switchboard.stack;

import java.nio.file.Path;
import java.util.List;

/**
 * How a stack launches its JVMs with respect to JDK 25's ahead-of-time caches ({@link AotCache}):
 * without them, from them, or recording them.
 */
public interface StartCaches {

    /** Every service from its jar, the registry as it is: tests and benchmarks, whose figures must not depend on a cache. */
    StartCaches NONE = new StartCaches() {
        @Override
        public List<String> service(Path project, StackService service) {
            return service.launch(project);
        }

        @Override
        public List<String> registry(Path home) {
            return List.of();
        }
    };

    /** What follows the service's JVM options: {@code -jar <jar>}, with a cache option before it when one applies. */
    List<String> service(Path project, StackService service);

    /** JVM options the registry gets for its cache, if any. */
    List<String> registry(Path home);
}
