/** The class list: who the students are, which submission is whose, and how Canvas knows them. */
package backprop.grader.roster;
