/**
 * Running student code outside the grader's process: a child JVM per submission under the strongest isolation
 * the host offers (bubblewrap, a separate uid with resource limits, or a plain child with a warning), the
 * binary codec and framing of what goes in and comes out, and the child's entry point ({@link
 * backprop.grader.sandbox.ChildMain}).
 *
 * <p>The child receives assignment jobs stripped of every expected value and returns only {@link
 * backprop.grader.run.Trace}s; the parent compares. Classes here that the child loads ({@code ChildMain},
 * {@code Codec}, {@code Frames}) use nothing outside the JDK, the contracts and the engine's {@code spec},
 * {@code graph}, {@code run} and {@code submission} packages, so the child's classpath holds no Jackson and no
 * reference.
 */
package backprop.grader.sandbox;
