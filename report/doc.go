// Package report turns results into the paper's tables and figures and the
// plots of sweeps:
//
//   - Table1: the paper's Table 1 as Markdown (last and min-gradient
//     iterates, final loss, seconds);
//   - Figure2: the paper's Figure 2, feature learning and noise
//     memorisation over the steps, as PNG and SVG; Curves sums a run's
//     panel up in one line;
//   - Figure1: the paper's Figure 1 on real images, first-layer filters of
//     the small CNN of package convnet per optimiser, as PNG;
//   - Heatmap and Lines: a metric of a sweep over two axes (one cell per
//     point, mean ± sd over seeds) or along one axis (a line per series
//     with error bars), as PNG and SVG.
package report
