package backprop.grader.submission;

import backprop.api.NotImplemented;
import backprop.grader.graph.Op;

/**
 * Something a submission's code did instead of returning a usable value: threw, returned null or returned the
 * wrong shape. Its message is one line a student can act on, never a stack trace.
 */
public final class StudentFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates a fault with a one-line message. */
    public StudentFault(String message) {
        super(message, null, false, false);
    }

    /** Turns anything a call into student code threw into a one-line fault naming the method called. */
    public static StudentFault from(Throwable t, String method) {
        if (t instanceof StudentFault f) {
            return f;
        }
        if (t instanceof NotImplemented n) {
            return new StudentFault("not implemented yet: " + n.method());
        }
        String where = "";
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith(Op.PACKAGE + ".")) {
                where = " at " + e.getClassName().substring(Op.PACKAGE.length() + 1) + "." + e.getMethodName()
                        + (e.getLineNumber() > 0 ? " (" + e.getFileName() + ":" + e.getLineNumber() + ")" : "");
                break;
            }
        }
        String text;
        try {
            text = t.getMessage(); // student code: an overridden getMessage may throw
        } catch (Throwable e) {
            text = null;
        }
        String msg = text == null ? "" : ": " + text.lines().findFirst().orElse("");
        if (msg.length() > 200) {
            msg = msg.substring(0, 200) + "…";
        }
        return new StudentFault(method + " threw " + t.getClass().getSimpleName() + msg + where);
    }
}
