/**
 * Comparing what a submission computed with the expected values, the reference and finite differences, and saying
 * where a wrong value goes wrong and why.
 */
package backprop.grader.check;
