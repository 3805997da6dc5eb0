/** Files: writing them atomically, copying and deleting folders. */
package backprop.grader.files;
