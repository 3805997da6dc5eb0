/** Assignment files: reading YAML with locations, validating it, and the assignment model. */
package backprop.grader.spec;
