// Package experiment turns a configuration into runs: it draws (or loads)
// the data and W₀ once, trains every optimiser of the configuration from
// them concurrently, and writes the output folder that other tools read:
//
//	config.yaml    the resolved configuration (re-runnable with --config)
//	data.npz       y_train (n,) int64, feature (d,), noise_index, noise_value (n,k);
//	               X_train (n,2,d) float64 as well for small sets (data.WriteNPZLayout)
//	metrics.csv    one row per logged step per optimiser
//	summary.json   final and min-gradient-iterate errors per optimiser
//	weights.npz    W0, W_<optimizer> (last iterate) and W_best_<optimizer>
//	               (min-gradient iterate), float64 (2,m,d)
//	table1.md      the paper's Table 1
//	figure2.png/.svg  the paper's Figure 2
package experiment
