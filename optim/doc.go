// Package optim holds the optimisers compared in the paper, one per file,
// each behind the Optimizer interface. An optimiser updates a flat slice of
// weights in place from the gradient of the full objective (weight decay
// included, "coupled", as in PyTorch's weight_decay).
package optim
