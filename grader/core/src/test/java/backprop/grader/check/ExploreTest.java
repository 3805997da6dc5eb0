package backprop.grader.check;

import org.junit.jupiter.api.Test;

class ExploreTest {
    @Test
    void explore() {
        for (String f : new String[] {"sigmoid-derivative-as-sigmoid", "tanh-derivative-from-input",
            "affine-backward-no-transpose", "affine-input-gradient-no-transpose", "reverse-pass-assigns",
            "loss-gradient-sign-flipped", "batch-mean-missing", "loss-half-missing", "optimizer-adds-gradient"}) {
            System.out.println("=== " + f);
            BuggyFixturesTest.results(f).stream().filter(r -> r.diagnosis().isPresent() || r.status() == Status.FAILED)
                    .limit(6)
                    .forEach(r -> System.out.println("  " + r.assignment() + " | " + r.check() + " | " + r.status()
                            + " | " + r.diagnosis().orElse("-")));
        }
    }
}
