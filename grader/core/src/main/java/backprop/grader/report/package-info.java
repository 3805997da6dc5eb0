/** Writing results for people and tools: terminal tables for now. */
package backprop.grader.report;
