// Package convex is the convex counterpart of the paper's network, the
// setting of Theorem 4.2: a linear model F(w, x) = ⟨w, x⟩ on the same
// two-patch data x = [x₁, x₂] ∈ R^{2d}, trained with the logistic loss and
// weight decay,
//
//	L(w) = (1/n) Σᵢ log(1 + exp(−yᵢ⟨w, xᵢ⟩)) + (λ/2)‖w‖²,
//
// which is λ-strongly convex for λ > 0 and so has one minimiser w*.
// Minimize finds w* with gonum's L-BFGS; Runner trains any optimiser of
// package optim on L (with a learning-rate schedule) and measures its
// distance to w*. The theorem says Adam and gradient descent reach the same
// w*, so their test errors agree; the network of package model does not
// share this (Theorem 4.1).
package convex
