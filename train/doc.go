// Package train runs the optimisation loop of one optimiser on one data set
// (optim.Minimize with the CNN's objective, objective.go, and a recorder,
// record.go), logs the probes of the paper (feature learning, noise memorisation, loss,
// errors, gradient norms) and tracks Theorem 4.1's output, the iterate with
// the smallest gradient norm.
//
// A step is one optimiser update. By default every step uses the gradient
// of the full training objective. With Loop.BatchSize = B < n, each step
// uses the gradient of the mean loss over a mini-batch of B examples (plus
// the full (λ/2)‖W‖²), the batches dealt by Batches: a fresh permutation of
// the n examples every epoch, cut into ⌈n/B⌉ batches, from the seed's
// BatchStream. Whatever the batch size, the logged rows of metrics.csv
// describe the full training objective at the logged iterates, so runs with
// different batch sizes compare; with mini-batches the best iterate is
// chosen among the logged ones (evaluating the full gradient every step
// would cost n/B batch steps).
//
// RunSpec also applies the optimiser's learning-rate schedule and, for the
// Adam family, logs Lemma A.2's sign-agreement probe (SignAgreement): the
// fraction of coordinates with |g| > SignThreshold·η_t whose update has
// the sign of −g. The lemma states that Adam's update is sign-like wherever
// the gradient exceeds Θ̃(η), so the default threshold (config
// sign_threshold 1) is η itself; sign_coords says how many coordinates it
// covered (late in training few gradients exceed η, and the fraction is
// empty when none do).
package train
