/**
 * Running student code outside the grader's process: a child JVM per submission under the strongest isolation
 * the host offers (bubblewrap, or the same {@link backprop.grader.sandbox.View} built as root, or a plain child
 * with a warning), on a runtime of {@code java.base} alone ({@link backprop.grader.sandbox.ChildRuntime}), with
 * every pool of its memory bounded ({@link backprop.grader.sandbox.Limits}) and its threads, processes and memory
 * watched from the grader's side ({@link backprop.grader.sandbox.ChildMonitor}); the binary codec and framing of
 * what goes in and comes out, and the child's entry point ({@link backprop.grader.sandbox.ChildMain}).
 *
 * <p>The child receives assignment jobs stripped of every expected value and returns only {@link
 * backprop.grader.run.Trace}s; the parent compares. Everything inside the child's JVM is the student's, so
 * nothing that judges or polices it runs there. Classes here that the child loads ({@code ChildMain},
 * {@code Codec}, {@code Frames}) use nothing outside {@code java.base}, the contracts and the engine's
 * {@code spec}, {@code graph}, {@code run} and {@code submission} packages, so the child's classpath holds no
 * Jackson and no reference.
 */
package backprop.grader.sandbox;
