// Package optim holds the optimisers, one per file, each behind the
// Stepper interface (Stepper[float64], alias Optimizer; Adam32 and GD32 are
// Stepper[float32]), the learning-rate schedules, and Minimize, the one
// training loop of the module.
//
// An optimiser updates a flat slice of weights in place from the gradient
// it is given: that of the full objective, or of a mini-batch when the
// training loop uses batches. The objective's weight decay λ (config key
// lambda) is always "coupled": λW is inside the gradient, as in PyTorch's
// weight_decay for SGD and Adam. AdamW's weight_decay is a separate,
// decoupled decay applied by the optimiser itself (w ← w·(1 − η·wd)); for
// AdamW as PyTorch users know it set lambda = 0.
//
// The family: GD, SignGD, SGD (heavy-ball or Nesterov momentum), Adam (the
// PyTorch form), AdamPaper (the paper's equations 3.1–3.3), AdamW, AMSGrad,
// Padam, RMSProp and AdaGrad. Where PyTorch has the optimiser, the update
// is PyTorch's (checked against torch.optim in torch_test.go). Spec and
// the registry (Names, Default, Describe) name them for configuration files
// and flags; Spec.Params lists the hyper-parameters each one accepts, and
// ParamTable describes every hyper-parameter once (name, meaning, bounds,
// field of Spec) for the YAML reader, the flags, Spec.Validate, Spec.Get,
// Spec.Set and the help text.
//
// A Schedule (Constant, StepDecay, Exponential, Cosine; ScheduleSpec in a
// configuration) gives the rate of step t of T from the base rate Spec.LR;
// the training loop applies it through LRSetter before every step.
//
// Minimize is that loop, in the spirit of gonum's optimize: an Objective
// (loss and gradient at W: the CNN's full or mini-batch loss in package
// train, the linear model's in convex, the MNIST network's mini-batches in
// convnet), a method (a Stepper; a RowStepper steps from a mini-batch's
// rows in one pass, a Perturber such as SAM takes the gradient at a second
// point of the same step) and a Recorder (what the caller keeps) are
// separate; Minimize alone orders a step: cancellation, evaluation,
// divergence check (DivergedError), scheduled rate, record, update.
package optim
