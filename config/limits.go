package config

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"unsafe"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/train"
)

// Bounds on the integer fields that Validate enforces besides their
// mathematical ranges. Indices and offsets of a data set are int32, so d and
// the number of stored non-zero entries must fit one; the other bounds are
// far beyond anything the memory estimate lets through and keep arithmetic
// on the fields from overflowing.
const (
	// MaxD is the largest patch dimension: coordinates are int32 and the
	// column form has d+1 offsets.
	MaxD = math.MaxInt32 - 1
	// MaxEntries is the largest number of stored non-zero entries of a
	// data set (training or test): offsets are int32.
	MaxEntries = math.MaxInt32
	// MaxM is the largest number of neurons per class.
	MaxM = 1 << 24
	// MaxQ is the largest activation exponent. The paper needs q ≥ 3
	// (Section 3) and uses q = 3; beyond 64, max(0,z)^q underflows to 0 for
	// z < 0.3 and overflows for z > 65536, so σ is no longer a smooth
	// activation in floating point.
	MaxQ = 64
	// MaxSteps is the largest number of optimiser steps (about 10¹²; a run
	// that long takes months at the paper's size).
	MaxSteps = 1 << 40
)

// entries returns the stored non-zero entries of k examples: the feature
// patch holds one, the noise patch s and, when α ≠ 0, one more.
func (c Config) entries(k int) float64 {
	per := 1 + float64(c.S)
	if c.Noise == "gaussian" {
		per = float64(c.D) // the signal entry and d−1 noise entries
	}
	if c.Alpha != 0 {
		per++
	}
	return float64(k) * per
}

// checkBounds reports a training or test set with more stored entries
// than offsets of int32 can index.
func (c Config) checkBounds() error {
	// what sets the entries of an example: s, or d with gaussian noise.
	what, smaller := fmt.Sprintf("s=%d", c.S), "s"
	if c.Noise == "gaussian" {
		what, smaller = fmt.Sprintf("noise=gaussian and d=%d (d entries an example)", c.D), "d"
	}
	switch {
	case c.entries(c.N) > MaxEntries:
		return fieldErr("n", "n=%d with %s stores %.0f non-zero entries, more than %d (offsets are int32); use a smaller n or %s", c.N, what, c.entries(c.N), MaxEntries, smaller)
	case c.entries(c.TestSize) > MaxEntries:
		return fieldErr("test_size", "test_size=%d with %s stores %.0f non-zero entries, more than %d (offsets are int32); use a smaller test_size or %s", c.TestSize, what, c.entries(c.TestSize), MaxEntries, smaller)
	}
	return nil
}

// ErrTooLarge is wrapped by the error of a configuration whose memory
// estimate exceeds the limit.
var ErrTooLarge = errors.New("too large")

// Part is one item of a memory estimate.
type Part struct {
	Name  string
	Bytes float64
}

// Estimate is what a run of a configuration allocates at most, item by
// item, in bytes (float64, so that absurd sizes do not overflow).
type Estimate struct {
	Parts []Part
}

// Total returns the sum of the parts.
func (e Estimate) Total() float64 {
	var t float64
	for _, p := range e.Parts {
		t += p.Bytes
	}
	return t
}

// Estimate returns an upper bound on the memory a run of the configuration
// allocates with jobs optimisers training at once (jobs ≤ 0: all of them):
// the training and test sets in sparse form (row and column form, 24 bytes
// per entry), the arrays data.npz is written from (the dense n×2×d X_train
// where its layout has it), W₀, every optimiser's last and best iterate and
// logged rows, and for each optimiser training at once its gradient, its
// state (at most three vectors: AMSGrad and Padam), the sign probe's copy of
// W and the pre-activations of the training set. Sizes come from the
// configuration; with data_from, n and d must be those of the file.
func (c Config) Estimate(jobs int) Estimate {
	const (
		f64   = 8
		entry = 4 + 8 + 4 + 8 // Idx+Val and ColPatch+ColVal
	)
	recordLen := float64(unsafe.Sizeof(train.Record{}))
	k := len(c.Optimizers)
	if k == 0 {
		k = 1
	}
	if jobs <= 0 || jobs > k {
		jobs = k
	}
	set := func(n int) float64 {
		return c.entries(n)*entry + float64(2*n+1)*4 + float64(c.D+1)*4 + 2*float64(n)
	}
	w := 2 * float64(c.M) * float64(c.D) * f64
	rows := float64(c.Steps)/float64(max(c.LogEvery, 1)) + 2
	width := 2 * float64(c.M)
	return Estimate{Parts: []Part{
		{"training set", set(c.N)},
		{"test set", set(c.TestSize)},
		{"data.npz arrays", c.npzBytes()},
		{"W0", w},
		{"last and best iterates", float64(k) * 2 * w},
		{"logged rows", float64(k) * rows * recordLen},
		{"gradients, optimiser state and sign probe", float64(jobs) * 5 * w},
		{"pre-activations", float64(jobs) * 3 * 2 * float64(c.N) * width * f64},
		{"test evaluation", float64(jobs) * 3 * 2 * 256 * width * f64},
	}}
}

// npzBytes is what writing data.npz allocates: the dense n×2×d X_train
// where the layout writes it (dense, or auto up to data.DenseLimit values),
// and the sparse noise arrays (indices and values) where it writes those.
func (c Config) npzBytes() float64 {
	dense := float64(c.N) * 2 * float64(c.D)
	l, err := data.ParseLayout(cmp.Or(c.DataLayout, "auto"))
	if err != nil {
		l = data.LayoutDense
	}
	var b float64
	if l == data.LayoutDense || (l == data.LayoutAuto && dense <= data.DenseLimit) {
		b += dense * 8
	}
	if l != data.LayoutDense {
		b += c.entries(c.N) * 16
	}
	return b
}

// NoteMemory is the estimate above which a run or a sweep prints its
// memory estimate before it starts (issue 20: a 4.76 GiB job started
// without a word).
const NoteMemory = 1 << 30

// Check returns nil if the estimate is within limit bytes, or an error
// wrapping ErrTooLarge that gives the figure, its largest part and the
// limit.
func (e Estimate) Check(limit int64) error {
	t := e.Total()
	if t <= float64(limit) {
		return nil
	}
	big := e.largest()
	return fmt.Errorf("%w: %w: this configuration needs about %s (largest part: %s, %s), more than the limit of %s; use smaller sizes or raise --max-memory",
		ErrInvalid, ErrTooLarge, FormatBytes(t), big.Name, FormatBytes(big.Bytes), FormatBytes(float64(limit)))
}

// largest returns the largest part.
func (e Estimate) largest() Part {
	var big Part
	for _, p := range e.Parts {
		if p.Bytes > big.Bytes {
			big = p
		}
	}
	return big
}

// Note returns what a run says before it starts when its estimate is above
// NoteMemory: "memory: this run needs about 4.76 GiB (largest part: …;
// limit …, --max-memory)", the limit being limit bytes (0: the default);
// "" for a smaller estimate, and for one over the limit, which Check
// refuses with the same figures.
func (e Estimate) Note(limit int64) string {
	if e.Total() <= NoteMemory {
		return ""
	}
	if limit <= 0 {
		limit = DefaultMaxMemory()
	}
	if e.Total() > float64(limit) {
		return "" // refused (Check), with the same figures
	}
	big := e.largest()
	return fmt.Sprintf("memory: this run needs about %s (largest part: %s, %s; limit %s, --max-memory)",
		FormatBytes(e.Total()), big.Name, FormatBytes(big.Bytes), FormatBytes(float64(limit)))
}

// DefaultMaxMemory returns the default memory limit: half of the machine's
// physical memory (MemTotal of /proc/meminfo), or 4 GiB where that cannot
// be read.
func DefaultMaxMemory() int64 {
	if f, err := os.Open("/proc/meminfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) >= 2 && fields[0] == "MemTotal:" {
				if kb, err := strconv.ParseInt(fields[1], 10, 64); err == nil && kb > 0 {
					return kb * 1024 / 2
				}
			}
		}
	}
	return 4 << 30
}

// FormatBytes writes a byte count with a binary unit: "1.5 GiB".
func FormatBytes(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f B", b)
	}
	return fmt.Sprintf("%.3g %s", b, units[i])
}

// ParseBytes reads a byte count: a number with an optional unit B, KB, MB,
// GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), e.g.
// "8GiB" or "500MB".
func ParseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := len(t)
	for i > 0 && (t[i-1] < '0' || t[i-1] > '9') && t[i-1] != '.' {
		i--
	}
	mult := map[string]float64{
		"": 1, "B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
		"KIB": 1 << 10, "MIB": 1 << 20, "GIB": 1 << 30, "TIB": 1 << 40,
		"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40,
	}[strings.ToUpper(strings.TrimSpace(t[i:]))]
	v, err := strconv.ParseFloat(strings.TrimSpace(t[:i]), 64)
	if err != nil || mult == 0 || !(v > 0) || v*mult > math.MaxInt64/2 {
		return 0, fmt.Errorf("%q is not a memory size; write e.g. 8GiB, 512MiB or 2e9 (bytes), more than 0", s)
	}
	return int64(v * mult), nil
}
