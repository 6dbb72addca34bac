// Package stream lists every random stream of adamgap in one place.
//
// A run's seed feeds several independent generators, rand.NewPCG(seed,
// stream), one per purpose, so that changing one part of a run (the size of
// the test set, the batch size) leaves the others' draws as they were. A
// new purpose takes a new number here; TestDistinct fails if two purposes
// of one seed space share a number.
//
// There are two seed spaces. The seeds of the patch-data experiments
// (config.Config.Seed: runs, sweeps, Table 1, convex, lemmas, stochastic)
// use the streams below 100. The seeds of Figure 1 (convnet.Config.Seeds)
// are another space: the same numbers there draw for a different model and
// data and cannot meet the patch-data streams in one computation.
package stream

import "math/rand/v2"

// Streams of a patch-data seed (config.Config.Seed).
const (
	TrainData   uint64 = 1  // experiment: the n training examples
	TestData    uint64 = 2  // experiment: the fresh test examples
	InitWeights uint64 = 3  // experiment: W₀ ~ N(0, σ₀²)
	BatchOrder  uint64 = 4  // train: the order of the mini-batches
	TrainFlips  uint64 = 5  // experiment: the label flips of the training set (label_noise)
	TestFlips   uint64 = 6  // experiment: the label flips of the test set (label_noise)
	ConvexInit  uint64 = 64 // paper.Convex: the linear model's w₀
	Lemmas      uint64 = 65 // paper.Lemmas: Lemma 5.1's Monte Carlo draws and data sets
)

// Streams of a Figure 1 seed (convnet.Config.Seeds).
const (
	ConvnetInit    uint64 = 1 // convnet: initial weights (PyTorch's default)
	ConvnetBatches uint64 = 2 // convnet: mini-batch order
)

// PatchData and Convnet are the streams of each seed space, for the test
// that no two purposes share a number.
var (
	PatchData = []uint64{TrainData, TestData, InitWeights, BatchOrder, TrainFlips, TestFlips, ConvexInit, Lemmas}
	Convnet   = []uint64{ConvnetInit, ConvnetBatches}
)

// New returns the generator of stream s of seed.
func New(seed, s uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, s)) }
