/** The {@code grader} command line: validate assignments, check a submission. */
package backprop.grader.cli;
