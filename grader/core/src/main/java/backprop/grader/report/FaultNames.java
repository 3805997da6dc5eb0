package backprop.grader.report;

import backprop.grader.graph.Op;
import backprop.grader.report.StudentResult.CheckRow;
import backprop.grader.submission.Components;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the class report names a fault: the method at fault and the likely cause, in words that are the same for
 * every student who made the same mistake, so that the class's faults can be counted.
 */
final class FaultNames {
    private static final Pattern VERDICT = Pattern.compile(";\\s*verdict:.*$");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.-])-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?(?![\\w/])");
    private static final Pattern SPACE = Pattern.compile("\\s+");
    /** How a fault in student code starts its message: the method called ({@code StudentFault}). */
    private static final Pattern METHOD = Pattern.compile("^(?:not implemented yet: )?([A-Z]\\w*\\.[a-z]\\w*)\\b");
    private static final String NOT_IMPLEMENTED = "not implemented yet: ";
    private static final Pattern THREW = Pattern.compile("threw [\\w$.]+");
    /** How the batch grader starts the message of a check its submission stopped before finishing. */
    static final String NOT_FINISHED = "not finished: ";

    private FaultNames() {}

    /**
     * True for a check that failed or whose code threw. A check that errs only because its submission stopped
     * (the batch grader's "not finished: timeout: …") is not a fault of its own: the status says it already.
     */
    static boolean isFault(CheckRow c) {
        return c.status().equals("failed") || c.status().equals("error") && !c.message().startsWith(NOT_FINISHED);
    }

    /**
     * The method a failed check points to: the one the grader blamed, else the one whose call threw (named first
     * in the message), else, for a check of one op alone, the method it exercises; empty when none is known.
     */
    static String component(CheckRow c) {
        if (c.component() != null && !c.component().isBlank()) {
            return c.component();
        }
        if (c.status().equals("error")) {
            Matcher m = METHOD.matcher(c.message());
            if (m.find()) {
                return m.group(1);
            }
        }
        if (!c.kind().equals("unit") || !c.check().contains(" › ")) {
            return "";
        }
        String unit = c.check().substring(0, c.check().indexOf(" › "));
        String part = c.check().substring(c.check().indexOf(" › ") + 3);
        if (unit.equals("reverse_pass")) {
            return Components.REVERSE_PASS + ".backward";
        }
        if (unit.equals("sgd")) {
            return Components.OPTIMIZER + ".step";
        }
        Optional<Op> op = Op.byName(unit);
        if (op.isEmpty()) {
            return "";
        }
        return op.get().simpleClassName() + switch (part) {
            case "forward" -> op.get().isLoss() ? ".value" : ".forward";
            case "backward", "zero upstream gradient" -> op.get().isLoss() ? ".gradient" : ".backward";
            default -> "";
        };
    }

    /**
     * The likely cause of a failed check: the grader's diagnosis without its verdict (which speaks of the one
     * student), or for code that threw, {@link #faultInCode what it did}.
     */
    static String cause(CheckRow c) {
        String text;
        if (c.diagnosis() != null && !c.diagnosis().isBlank()) {
            text = VERDICT.matcher(c.diagnosis()).replaceFirst("");
        } else if (c.status().equals("error")) {
            text = faultInCode(c.message());
        } else {
            text = "a wrong value no known mistake explains";
        }
        return SPACE.matcher(text).replaceAll(" ").strip();
    }

    /**
     * What code that threw did, without what is particular to one student: for a fault the engine reports
     * ({@code StudentFault}: the method, then what it did) "not implemented yet", "threw IllegalStateException"
     * (the exception's own message and the line are the student's) or "returned null"; any other message as it
     * is. Numbers (a line, a size) are written as {@code N}.
     */
    static String faultInCode(String message) {
        Matcher m = METHOD.matcher(message);
        if (!m.find()) {
            return NUMBER.matcher(message).replaceAll("N");
        }
        if (message.startsWith(NOT_IMPLEMENTED)) {
            return "not implemented yet";
        }
        String rest = message.substring(m.end()).strip();
        Matcher threw = THREW.matcher(rest);
        return threw.lookingAt() ? threw.group() : NUMBER.matcher(rest).replaceAll("N");
    }
}
