/** Comparing what a submission computed with the expected values, the reference and finite differences. */
package backprop.grader.check;
