/**
 * Compiling untrusted sources: reading a submission's {@code .java} files into memory without following any
 * symbolic link, and running javac on them in a warm compile process of its own, bounded in memory and time and
 * killed at the limit, so that no source can stall or exhaust the grader's own JVM.
 */
package backprop.grader.compile;
