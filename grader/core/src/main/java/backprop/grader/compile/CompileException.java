package backprop.grader.compile;

import java.util.List;

/**
 * Sources that do not compile, or that the grader will not compile (a symbolic link, a compiler that ran out of
 * time or memory on them), with a one-line reason and the compiler's first errors. Always the submission's
 * fault, never the grader's.
 */
public final class CompileException extends Exception {
    private static final long serialVersionUID = 1L;
    /** The most compiler errors kept. */
    public static final int MAX_ERRORS = 10;
    private final transient List<String> errors;

    /**
     * Creates the exception.
     *
     * @param reason one line: what is wrong
     * @param errors the lines to show under it, each {@code File.java:line: message}, or the reason alone
     */
    public CompileException(String reason, List<String> errors) {
        super(reason);
        this.errors = List.copyOf(errors.subList(0, Math.min(errors.size(), MAX_ERRORS)));
    }

    /** A refusal or failure told in one line, which is also its only error line. */
    public static CompileException of(String reason) {
        return new CompileException(reason, List.of(reason));
    }

    /**
     * The compiler's errors: "does not compile: " and the first, with how many more there are.
     *
     * @param total how many errors the compiler reported, at least {@code errors.size()}
     * @param stopped true when the compiler stopped counting at {@code total}, so there may be more
     */
    public static CompileException errors(List<String> errors, int total, boolean stopped) {
        String first = errors.isEmpty() ? "the compiler reported no error but produced no classes" : errors.get(0);
        int more = Math.max(total, errors.size()) - 1;
        return new CompileException("does not compile: " + first + (more > 0 ? " (and " + (stopped ? "at least " : "")
                + more + " more)" : ""), errors.isEmpty() ? List.of(first) : errors);
    }

    /** The reason, one line. */
    public String reason() {
        return getMessage();
    }

    /** The first errors, at most {@link #MAX_ERRORS}. */
    public List<String> errors() {
        return errors;
    }
}
