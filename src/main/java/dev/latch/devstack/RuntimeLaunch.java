package dev.latch.devstack;

/**
 * Tells a running application from the Quarkus build, which also reads configuration (and so
 * runs our config source factory) while it packages the application.
 */
final class RuntimeLaunch {

    private RuntimeLaunch() {
    }

    /** True inside the packaged application, whose generated entry point exists only there. */
    static boolean isApplicationRuntime() {
        try {
            Class.forName("io.quarkus.runner.GeneratedMain", false, Thread.currentThread().getContextClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError building) {
            return false;
        }
    }
}
