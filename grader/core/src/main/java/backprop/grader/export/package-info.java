/** Exporting the standalone repository a student receives. */
package backprop.grader.export;
