package backprop.grader.submission;

import backprop.grader.graph.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a thread stuck in a submission's code was, as a student reads it.
 *
 * @param text the top frames in the submission's classes, and the method outside them it was in, if any
 * @param first the top frame in the submission's classes alone
 */
record Stuck(String text, String first) {
    private static final int SHOWN_FRAMES = 3;

    /**
     * Where a thread with this stack is: its top frames in the submission's classes, {@code at Relu.java:17
     * (Relu.forward)}, preceded by the method outside them it was in, if any ({@code in java.lang.Thread.sleep,
     * called from …}).
     */
    static Stuck at(StackTraceElement[] stack) {
        List<String> frames = new ArrayList<>();
        String outside = null;
        for (int i = 0; i < stack.length && frames.size() < SHOWN_FRAMES; i++) {
            StackTraceElement e = stack[i];
            if (e.getClassName().contains("$$Lambda")) {
                continue; // a lambda's own frame says nothing the frames around it do not
            }
            if (!e.getClassName().startsWith(Op.PACKAGE + ".")) {
                if (frames.isEmpty() && outside == null) {
                    outside = e.getClassName() + "." + e.getMethodName();
                }
                continue;
            }
            String cls = e.getClassName().substring(Op.PACKAGE.length() + 1).replace('$', '.');
            String method = switch (e.getMethodName()) {
                case "<init>" -> "new " + cls + "()";
                case "<clinit>" -> "static initialiser of " + cls;
                default -> cls + "." + e.getMethodName();
            };
            frames.add((e.getFileName() == null ? cls + ".java" : e.getFileName())
                    + (e.getLineNumber() > 0 ? ":" + e.getLineNumber() : "") + " (" + method + ")");
        }
        if (frames.isEmpty()) {
            String text = "outside the submission's classes" + (outside == null ? "" : ", in " + outside);
            return new Stuck(text, text);
        }
        return new Stuck((outside == null ? "at " : "in " + outside + ", called from ")
                + String.join(", called from ", frames), "at " + frames.get(0));
    }
}
