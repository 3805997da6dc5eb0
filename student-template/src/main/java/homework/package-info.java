/**
 * Your homework: fill in every class of this package so that the network pieces compute the right values and
 * the right gradients.
 *
 * <p>Each method here starts as {@code throw new NotImplemented("Class.method")}. Replace that line with your
 * code, one method at a time, then run {@code mvn test} in the folder that holds {@code pom.xml}. Each test
 * names the assignment, the quantity and the entry it checks, the value it expected and the value you gave; a
 * method you have not written yet is reported as "not implemented yet", not as a failure of its neighbours.
 * A sensible order: the activations ({@link homework.Identity}, {@link homework.Relu}, {@link homework.Sigmoid},
 * {@link homework.Tanh}, {@link homework.Softmax}), then the layers ({@link homework.Linear},
 * {@link homework.Affine}, {@link homework.Sum}, {@link homework.Product}), then the losses, then
 * {@link homework.Backprop}, which ties them together over a whole graph, and last {@link homework.Sgd}.
 *
 * <p>Conventions used everywhere:
 * <ul>
 *   <li>A batch is an {@code N×D} {@link backprop.api.Matrix}: one example a row, {@code N} examples.</li>
 *   <li>A weight matrix is {@code D_out×D_in}, as in the lecture's {@code y = W x}; a whole batch therefore goes
 *       through it as {@code Y = X Wᵀ}. A bias is a {@code 1×D_out} row.</li>
 *   <li>Every gradient has the shape of the thing it is the gradient of.</li>
 *   <li>{@code ReLU'(0) = 0}.</li>
 *   <li>A loss that averages over the batch divides by {@code N}, the number of rows.</li>
 * </ul>
 *
 * <p>{@link backprop.api.Matrix} is immutable and already has what you need: {@code matmul}, {@code transpose},
 * {@code hadamard} (⊙), {@code plus}, {@code minus}, {@code times}, {@code map}, {@code zip}, {@code sumRows}
 * (column sums), {@code sumCols} (row sums), {@code repeatRows}. Do not change the class names, the method
 * signatures or the public no-argument constructors: the grader creates your classes by name.
 */
package homework;
