package backprop.grader.spec;

import java.util.List;
import java.util.stream.Collectors;

/** An assignment file that cannot be used, with every problem found in it. */
public final class SpecException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    /** Creates the exception for a non-empty list of problems. */
    public SpecException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** The problems, in the order they were found. */
    public List<Problem> problems() {
        return problems;
    }
}
