// Package model computes the outputs, loss and gradient of the paper's
// two-layer convolutional network
//
//	F_j(W, x) = Σ_r σ(⟨w_{j,r}, x₁⟩) + σ(⟨w_{j,r}, x₂⟩),   σ(z) = max(0, z)^q,
//
// for j ∈ {−1, +1}, with loss L(W) = (1/n) Σᵢ CE(F(xᵢ), yᵢ) + (λ/2)‖W‖²_F,
// and the variants of the signal–noise papers that followed it: q real,
// leaky and huberized ReLU (Activation), F_j divided by m (OutputScale).
//
// Weights are stored coordinate-major: a flat slice of d rows, row k holding
// the 2m weights of input coordinate k, column c = j'·m + r where j' = 0 for
// class −1 and j' = 1 for class +1. A sparse patch's forward pass then adds
// value × row for each of its non-zeros, and the backward pass gathers, for
// each coordinate, value × (output derivative) over the patches that touch
// it (the data's column form). The NumPy layout (2, m, d) is produced by
// ToTensor (WriteNPZ writes it) and read back by FromFlatTensor (ReadNPZ
// reads it).
//
// Dense patches (Gaussian noise) take a float64 full-batch evaluation
// through two matrix products (dense.go) instead of the sparse row sums.
//
// The hot loops run hand-written AVX-512 kernels (package internal/kernel)
// on CPUs that have them and portable Go loops elsewhere or with -tags
// purego (Kernel, Kernels, UseKernel); the two agree to about 1e-13. The
// kernels index the weights with the data's indices without bounds checks,
// so NewNet validates the set first
// (data.Set.Validate), CNN.Errors and CNN.Outputs its rows
// (data.Set.ValidateRows), and they panic on a malformed one.
package model
