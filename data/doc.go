// Package data generates the image-like data of Definition 3.1 of Zou, Cao, Li
// and Gu, "Understanding the Generalization of Adam in Learning Neural Networks
// with Proper Regularization", and stores it sparsely.
//
// Each example x = [x₁, x₂] ∈ R^{2d} has a feature patch x₁ = y·v with
// v = e₁ (index 0 in code) and a noise patch x₂ = ξ: s coordinates drawn
// uniformly without replacement from the d−1 coordinates other than the first,
// Gaussian values N(0, σp²), and the first coordinate set to −α·y (the
// "feature noise"). Training labels are balanced; the test set is drawn fresh
// from the same distribution with independent labels.
//
// A patch has at most s+1 non-zeros, so a Set stores its patches in
// compressed sparse row form (for the forward pass) and the same entries in
// compressed sparse column form (for the backward pass): nothing in the hot
// path loops over d.
package data
