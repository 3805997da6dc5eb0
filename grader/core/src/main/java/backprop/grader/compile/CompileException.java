package backprop.grader.submission;

import java.util.List;

/** A submission that does not compile, with the compiler's first errors. */
public final class CompileException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<String> errors;

    /** Creates the exception from the compiler's errors, each {@code File.java:line: message}. */
    public CompileException(List<String> errors) {
        super("does not compile: " + (errors.isEmpty() ? "unknown error" : errors.get(0))
                + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
        this.errors = List.copyOf(errors);
    }

    /** The first errors, at most ten. */
    public List<String> errors() {
        return errors;
    }
}
