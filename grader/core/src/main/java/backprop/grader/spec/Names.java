package backprop.grader.spec;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The one namespace of a file's inputs, targets, parameters and nodes, each name with where it was declared. */
final class Names {
    private final Fields f;
    private final Map<String, Location> declared = new HashMap<>();

    Names(Fields f) {
        this.f = f;
    }

    /** Declares a name; returns false (and reports it) when the name is empty or taken. */
    boolean declare(String name, Location at) {
        if (name.isBlank()) {
            f.problem(at, "a name must not be empty");
            return false;
        }
        Location first = declared.putIfAbsent(name, at);
        if (first != null) {
            f.problem(at, "the name '" + name + "' is already used at line " + first.line()
                    + "; inputs, targets, parameters and nodes share one namespace");
            return false;
        }
        return true;
    }

    boolean contains(String name) {
        return declared.containsKey(name);
    }

    Set<String> all() {
        return declared.keySet();
    }
}
