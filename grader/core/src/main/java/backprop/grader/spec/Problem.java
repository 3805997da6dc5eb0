package backprop.grader.spec;

/** One thing wrong with an assignment file, at a place in it. */
public record Problem(Location location, String message) {
    @Override
    public String toString() {
        return location + ": " + message;
    }
}
