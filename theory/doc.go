// Package theory measures the assumptions and lemmas of Zou, Cao, Li and Gu
// on concrete numbers, so a user can see which of them hold for a
// configuration and how the simulated runs compare with what they predict.
//
//   - Supports: Lemma 5.1 (A.1), the probability that the noise supports of
//     the n training examples are pairwise disjoint, exactly, by Monte Carlo
//     and by the lemma's union bound; Sharing measures the overlap of a drawn
//     data set.
//   - Flips: Lemma 5.3 (A.4), the step at which Adam's feature learning
//     Λⱼ = max_r ⟨w_{j,r}, j·v⟩ peaks and the step at which it turns
//     negative, read from a run's logged records.
//   - Conditions: the parameter magnitudes of Section A.1 and the lemmas'
//     assumptions evaluated as ratios for a configuration.
package theory
