/**
 * The contracts a homework submission implements, and the immutable {@link backprop.api.Matrix} they use.
 *
 * <p>One convention holds everywhere: a batch is an {@code N×D} matrix, one example a row.
 */
package backprop.api;
