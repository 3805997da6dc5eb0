/** A student's {@code mvn test}: the public checks as JUnit dynamic tests, and the words a student reads. */
package backprop.grader.junit;
