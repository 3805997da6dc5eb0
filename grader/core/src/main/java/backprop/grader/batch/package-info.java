/**
 * {@code grader grade}: a whole class graded in one run. Finds the submissions (folders or zips, named by a
 * roster or by their file names), compiles each in the parent with a time limit, runs it in a child JVM
 * ({@link backprop.grader.sandbox}), compares its traces with the reference in the parent, persists each
 * student's result as soon as it is final (so a killed run resumes), and writes the scorecards. A run may grade one
 * shard of the class ({@link backprop.grader.batch.Shard}); {@link backprop.grader.batch.Merge} combines the shards'
 * outputs into the reports of one run.
 */
package backprop.grader.batch;
