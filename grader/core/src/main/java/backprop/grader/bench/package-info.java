/**
 * Benchmarks that print figures: batch throughput, overhead per submission, gradient-check scaling, memory, and the
 * accuracy of diagnosis on a catalogue of one-bug submissions.
 */
package backprop.grader.bench;
