// Package report turns training results into the paper's tables and
// figures: Table 1 as Markdown, Figure 2 as PNG and SVG.
package report
