// Package train runs the optimisation loop of one optimiser on one data set,
// logs the probes of the paper (feature learning, noise memorisation, loss,
// errors, gradient norms) and tracks Theorem 4.1's output, the iterate with
// the smallest gradient norm.
package train
