/** Benchmarks that print figures: batch throughput, overhead per submission, gradient-check scaling, memory. */
package backprop.grader.bench;
