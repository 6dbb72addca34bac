// Package paper runs the experiments of two papers on the generalisation
// of Adam, each as one function with typed options and a typed report:
//
//   - Table1: Table 1 and Figure 2 of Zou, Cao, Li and Gu, "Understanding
//     the Generalization of Adam in Learning Neural Networks with Proper
//     Regularization" (Section 6): Adam and gradient descent from the same
//     W₀ on the same data; Adam's test error is far above GD's.
//   - Convex: their Theorem 4.2. On a strongly convex objective (a linear
//     model with weight decay) Adam and GD reach the same minimiser; beside
//     it, the CNN of Table 1, where they do not.
//   - Lemmas: Lemma 5.1 (disjoint noise supports) measured, and the flip of
//     Adam's feature learning (Lemma 5.3) across learning rates.
//   - Check: the parameter conditions of their Section A.1 and the
//     assumptions of the lemmas, for a configuration.
//   - Phase: the Adam–GD gap over feature-noise strength α × noise level σp
//     (a sweep, embedded from examples/phase.yaml).
//   - Figure1: their Figure 1 on real images: first-layer filters of a small
//     CNN trained on MNIST by Adam (noisy) and by SGD (smooth).
//   - Stochastic: the synthetic experiment of Tang, Zhang, Cao and Zou,
//     "Understanding the Generalization of Stochastic Gradient Adam in
//     Learning Neural Networks" (arXiv 2510.11354): mini-batch Adam and
//     AdamW generalise at batch 2 and fail at batch 100.
//
// Each experiment X has options XOptions with the papers' settings from
// DefaultX(), a function X(ctx, opts, rec) that runs it and reports its
// progress to rec (nil: none; see package progress), and a report
// XReport with JSON tags (the CLI's X.json) and a Table method (the
// Markdown the CLI prints). The numbers the papers report and the rules
// that turn measurements into verdicts are in reference.go. Bad options
// give an error wrapping ErrInvalid that names the option as the adamgap
// command's flag does.
//
// The adamgap command (cmd/adamgap) is a thin layer over this package:
// flags → paper.X → files.
package paper
