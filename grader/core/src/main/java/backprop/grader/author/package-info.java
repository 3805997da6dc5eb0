/** Writing assignments: the reference's values written into an assignment file in place ({@code grader fill}). */
package backprop.grader.author;
