/** Running a submission on an assignment and recording what it computed, finite differences included. */
package backprop.grader.run;
