package grading;

import backprop.grader.junit.PublicChecks;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every public check of every public assignment on your classes, one test per check.
 *
 * <p>You never need to edit this file: fill in the classes in {@code src/main/java/homework} and run
 * {@code mvn test}. A failing test names the quantity that is wrong, where, by how much, and a likely cause.
 */
class PublicChecksTest {

    @TestFactory
    Stream<DynamicNode> publicChecks() {
        return PublicChecks.tests();
    }
}
