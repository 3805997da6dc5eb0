/**
 * The reference solution: every stub of the student template, filled in; never shipped to students.
 *
 * <p>The grader treats it as one more submission, graded through the same path, and it must score full marks.
 * Each class keeps an operation's forward and backward side by side so the gradient rule sits next to the
 * formula it differentiates. Batches are {@code N×D}, one example a row.
 */
package homework;
