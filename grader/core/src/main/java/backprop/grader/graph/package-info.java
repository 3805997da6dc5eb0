/** The operations an assignment's graph can use, and a graph bound to one submission's components. */
package backprop.grader.graph;
