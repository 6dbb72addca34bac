package model

import (
	"unsafe"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/kernel"
)

// coordPlan is the entry order of the coordinate-blocked forward pass
// (forwardCoord): the entries of the patches [p0, p1) grouped by block of
// rows coordinates, then by patch, each group's entries in the patch's
// order. Walking the groups block by block reads each block's rows of W
// from a cache (L1 or L2, see coordBlock and coordBlockL2) instead of
// scattering over all of W for every patch.
type coordPlan struct {
	rows int // coordinates per block
	// wide marks a plan of L2-sized blocks, whose last block of columns
	// (past the full blocks of 40) is blocked too (kernel.SumBlocks40M);
	// a plan of L1-sized blocks leaves it to the per-patch kernels, whose
	// rows of W are in L2 at such sizes.
	wide bool
	idx  []int32
	val  []float64
	grp  []int32 // (patch − p0, first entry, end) per group
	// empty lists the patches (− p0) without entries, whose rows of z no
	// group writes.
	empty []int32
}

// coordBlock is the number of coordinates per block of the L1-sized plan:
// 144 rows of 40 columns are 45 kB, about the 48 kB L1 data cache of this
// Zen 5 (measured at the paper's size: 48, 96, 144, 250, 500 rows a block
// give 0.88, 0.77, 0.74, 0.78, 0.88 of the unblocked pass's CPU time;
// bench/README.md).
const coordBlock = 144

// coordBlockL2 is the number of coordinates per block of the L2-sized
// plan, made where the L1-sized one's groups would be too short and W has
// more rows than one such block: 1000 rows of 2m = 100 columns are 800 kB,
// within this Zen 5's 1 MB L2 while the patches' rows of z stream past.
// Measured (forward pass alone, thread CPU time; bench/README.md, "Round
// three, third session"): at 62× the paper's work 500, 1000, 1500, 2000
// and 3000 rows a block take 0.48, 0.44, 0.47, 0.53 and 0.57 of the
// per-patch pass's time, at 100× 0.21, 0.18, 0.19, 0.20 and 0.22. A
// variable so that tests can make such plans on small sets.
var coordBlockL2 = 1000

// coordForward enables the blocked pass; tests turn it off to compare the
// AVX-512 and AVX2 paths bit for bit (they differ only in this order).
var coordForward = true

// coordMinMean is the mean number of entries a group must have for the
// blocked pass to pay: each group loads and stores a row of z.
const coordMinMean = 4

// newCoordPlan returns the plan of the patches [p0, p1) of set, or nil when
// its groups would be too short (coordMinMean) with blocks of coordBlock
// and of coordBlockL2 rows, or W has fewer than 40 columns. The plan
// depends on the set only, so a Net makes it once. It holds the entries of
// the patches once (12 bytes each, as the set's row form) and 12 bytes a
// group (at most 3 bytes an entry).
func newCoordPlan(set *data.Set, p0, p1, wd int) *coordPlan {
	if wd < block {
		return nil
	}
	a, b := int(set.PatchPtr[p0]), int(set.PatchPtr[p1])
	// Count the groups (distinct patch × block pairs) first: a set too
	// sparse for the blocked pass then costs a pass over its indices, not
	// a plan as large as the set.
	if ng := coordGroups(set, p0, p1, coordBlock); ng > 0 && b-a >= coordMinMean*ng {
		return buildCoordPlan(set, p0, p1, coordBlock, false, ng)
	}
	if set.D <= coordBlockL2 {
		return nil
	}
	if ng := coordGroups(set, p0, p1, coordBlockL2); ng > 0 && b-a >= coordMinMean*ng {
		return buildCoordPlan(set, p0, p1, coordBlockL2, true, ng)
	}
	return nil
}

// coordGroups counts the groups (distinct patch × block pairs) of the
// patches [p0, p1) with blocks of rows coordinates.
func coordGroups(set *data.Set, p0, p1, rows int) int {
	nb := (set.D + rows - 1) / rows
	last := make([]int32, nb) // the last patch seen in each block, +1
	ng := 0
	for p := p0; p < p1; p++ {
		idx, _ := set.Patch(p)
		for _, k := range idx {
			if bl := int(k) / rows; last[bl] != int32(p-p0+1) {
				last[bl] = int32(p - p0 + 1)
				ng++
			}
		}
	}
	return ng
}

// buildCoordPlan makes the plan of the patches [p0, p1) with blocks of
// rows coordinates, which has ng groups (coordGroups).
func buildCoordPlan(set *data.Set, p0, p1, rows int, wide bool, ng int) *coordPlan {
	nb := (set.D + rows - 1) / rows
	a, b := int(set.PatchPtr[p0]), int(set.PatchPtr[p1])
	pos := make([]int, nb+1) // next slot of each block's entries
	for _, k := range set.Idx[a:b] {
		pos[int(k)/rows+1]++
	}
	for i := range nb {
		pos[i+1] += pos[i]
	}
	pl := &coordPlan{rows: rows, wide: wide, idx: make([]int32, b-a), val: make([]float64, b-a), grp: make([]int32, 0, 3*ng)}
	grp := make([][]int32, nb) // each block's groups
	for p := p0; p < p1; p++ {
		idx, val := set.Patch(p)
		for e, k := range idx {
			bl := int(k) / rows
			at := pos[bl]
			pl.idx[at], pl.val[at] = k, val[e]
			pos[bl]++
			if g := grp[bl]; len(g) > 0 && g[len(g)-3] == int32(p-p0) {
				g[len(g)-1]++ // the patch's group in this block grows
			} else {
				grp[bl] = append(g, int32(p-p0), int32(at), int32(at+1))
			}
		}
	}
	for _, g := range grp {
		pl.grp = append(pl.grp, g...)
	}
	// A row's first group is marked by −1−row: the kernel starts its sum
	// from zero instead of loading the row.
	seen := make([]bool, p1-p0)
	for g := 0; g < len(pl.grp); g += 3 {
		if r := pl.grp[g]; !seen[r] {
			seen[r] = true
			pl.grp[g] = -1 - r
		}
	}
	for r, ok := range seen {
		if !ok {
			pl.empty = append(pl.empty, int32(r))
		}
	}
	return pl
}

// forwardCoord is forwardAVX512 over the patches of pl in the
// coordinate-blocked order: one chain of fused multiply-adds per column,
// entries in plan order (kernel.SumBlocks40). A wide plan takes every
// column so, rows of 81 to 120 columns in one pass (kernel.SumBlocks120M:
// the row of w of an entry is read once, from L2), wider rows in passes of
// 120 columns and the last 80 or fewer in blocks of 40 (kernel.SumBlocks40,
// masked: SumBlocks40M); a plan of L1-sized blocks sums the columns past
// the full blocks of 40 as forwardAVX512 does.
func forwardCoord(pl *coordPlan, z, w []float64, set *data.Set, p0, p1, wd int) {
	if len(w) < set.D*wd || len(z) < (p1-p0)*wd {
		panic("model: forward: buffers too short")
	}
	for _, r := range pl.empty {
		clear(z[int(r)*wd : int(r+1)*wd])
	}
	idx, val, grp, ng := unsafe.SliceData(pl.idx), unsafe.SliceData(pl.val), unsafe.SliceData(pl.grp), len(pl.grp)/3
	if pl.wide {
		off := 0
		for ; wd-off > 2*block; off += 3 * block {
			kernel.SumBlocks120M(&z[off], &w[off], idx, val, grp, ng, wd*8, blockMasks(min(wd-off, 3*block)-2*block))
		}
		for ; off < wd; off += block {
			if wd-off >= block {
				kernel.SumBlocks40(&z[off], &w[off], idx, val, grp, ng, wd*8)
			} else {
				kernel.SumBlocks40M(&z[off], &w[off], idx, val, grp, ng, wd*8, blockMasks(wd-off))
			}
		}
		return
	}
	full := wd / block * block
	for off := 0; off < full; off += block {
		kernel.SumBlocks40(&z[off], &w[off], idx, val, grp, ng, wd*8)
	}
	if full < wd {
		tail := blockMasks(wd - full)
		for p := p0; p < p1; p++ {
			idx, val := set.Patch(p)
			zp := z[(p-p0)*wd : (p-p0+1)*wd]
			if wd-full > chunkTail {
				kernel.SumRows40M(&zp[full], &w[full], unsafe.SliceData(idx), unsafe.SliceData(val), len(idx), wd*8, tail)
				continue
			}
			for off := full; off < wd; off += 8 {
				kernel.SumRows8(&zp[off], &w[off], unsafe.SliceData(idx), unsafe.SliceData(val), len(idx), wd*8, laneMask(wd-off))
			}
		}
	}
}
