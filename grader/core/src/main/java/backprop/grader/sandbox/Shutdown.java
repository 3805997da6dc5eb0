package backprop.grader.sandbox;

/**
 * Whether this JVM has begun to shut down (SIGTERM, SIGINT, {@code System.exit}). From that moment the
 * shutdown hooks are killing the children, so nothing a child returns afterwards is a result: a child that
 * died then was killed by the grader, not by its own code.
 */
public final class Shutdown {
    private Shutdown() {}

    /**
     * True once the JVM's shutdown has begun. The JDK has no direct question for it; a hook can no longer be
     * registered from then on, and that is what this asks. The JVM marks the shutdown before it starts any hook,
     * so a child killed by a hook is seen dead only after this turns true.
     */
    public static boolean inProgress() {
        Thread probe = new Thread(() -> { }, "shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
