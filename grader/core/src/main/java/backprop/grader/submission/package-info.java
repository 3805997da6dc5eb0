/** A submission's classes: compiling them, loading them apart from the grader, and calling them safely. */
package backprop.grader.submission;
