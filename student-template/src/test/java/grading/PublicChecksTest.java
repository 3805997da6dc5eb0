package grading;

import backprop.grader.junit.PublicChecks;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every public check of every public assignment on your classes, one test per check, named like
 * {@code seed-003a › dL/dW2}.
 *
 * <p>You never need to edit this file: fill in the classes in {@code src/main/java/homework} and run
 * {@code ./mvnw test}. A failing test names the quantity that is wrong, where, by how much, and a likely cause;
 * the points come last, and {@code target/grading/summary.md} lists every check. To run some of the checks, give
 * their names ({@code *} and {@code ?} are wildcards, {@code >} stands for {@code ›}, commas separate several):
 * <pre>
 * ./mvnw test -Dcheck=seed-001                  (one assignment)
 * ./mvnw test -Dcheck='seed-003a &gt; dL/dW2'      (one check)
 * </pre>
 * A call into your code that does not return within 5 s ({@code -Dbackprop.callTimeout=SECONDS}) fails its
 * check with where it was stuck, and only the checks that need that method are lost.
 */
class PublicChecksTest {

    @TestFactory
    Stream<DynamicNode> publicChecks() {
        return PublicChecks.tests();
    }
}
