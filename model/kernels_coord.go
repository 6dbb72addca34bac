package model

import (
	"unsafe"

	"github.com/adamgap/adamgap/data"
	"github.com/adamgap/adamgap/internal/kernel"
)

// coordPlan is the entry order of the coordinate-blocked forward pass
// (forwardCoord): the entries of the patches [p0, p1) grouped by block of
// coordBlock coordinates, then by patch, each group's entries in the
// patch's order. Walking the groups block by block reads each block's rows
// of W (coordBlock·40·8 bytes a pass) from L1 instead of scattering over
// all of W for every patch.
type coordPlan struct {
	idx []int32
	val []float64
	grp []int32 // (patch − p0, first entry, end) per group
	// empty lists the patches (− p0) without entries, whose rows of z no
	// group writes.
	empty []int32
}

// coordBlock is the number of coordinates per block: 144 rows of 40
// columns are 45 kB, about the 48 kB L1 data cache of this Zen 5 (measured
// at the paper's size: 48, 96, 144, 250, 500 rows a block give 0.88, 0.77,
// 0.74, 0.78, 0.88 of the unblocked pass's CPU time; bench/README.md).
const coordBlock = 144

// coordForward enables the blocked pass; tests turn it off to compare the
// AVX-512 and AVX2 paths bit for bit (they differ only in this order).
var coordForward = true

// coordMinMean is the mean number of entries a group must have for the
// blocked pass to pay: each group loads and stores a row of z.
const coordMinMean = 4

// newCoordPlan returns the plan of the patches [p0, p1) of set, or nil when
// its groups would be too short (coordMinMean) or W has fewer than 40
// columns. The plan depends on the set only, so a Net makes it once.
func newCoordPlan(set *data.Set, p0, p1, wd int) *coordPlan {
	if wd < block {
		return nil
	}
	nb := (set.D + coordBlock - 1) / coordBlock
	a, b := int(set.PatchPtr[p0]), int(set.PatchPtr[p1])
	// Count the groups (distinct patch × block pairs) first: a set too
	// sparse for the blocked pass (the 10× and 100× benchmark sizes) then
	// costs one pass over its indices, not a plan as large as the set.
	last := make([]int32, nb) // the last patch seen in each block, +1
	ng := 0
	for p := p0; p < p1; p++ {
		idx, _ := set.Patch(p)
		for _, k := range idx {
			if bl := int(k) / coordBlock; last[bl] != int32(p-p0+1) {
				last[bl] = int32(p - p0 + 1)
				ng++
			}
		}
	}
	if ng == 0 || b-a < coordMinMean*ng {
		return nil
	}
	pos := make([]int, nb+1) // next slot of each block's entries
	for _, k := range set.Idx[a:b] {
		pos[int(k)/coordBlock+1]++
	}
	for i := range nb {
		pos[i+1] += pos[i]
	}
	pl := &coordPlan{idx: make([]int32, b-a), val: make([]float64, b-a)}
	grp := make([][]int32, nb) // each block's groups
	for p := p0; p < p1; p++ {
		idx, val := set.Patch(p)
		for e, k := range idx {
			bl := int(k) / coordBlock
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

// forwardCoord is forwardAVX512 over the patches of pl, the full blocks of
// 40 columns in the coordinate-blocked order (kernel.SumBlocks40: one
// chain of fused multiply-adds per column, entries in plan order), the
// columns past them as forwardAVX512 sums them.
func forwardCoord(pl *coordPlan, z, w []float64, set *data.Set, p0, p1, wd int) {
	if len(w) < set.D*wd || len(z) < (p1-p0)*wd {
		panic("model: forward: buffers too short")
	}
	full := wd / block * block
	for _, r := range pl.empty {
		clear(z[int(r)*wd : int(r+1)*wd])
	}
	ng := len(pl.grp) / 3
	for off := 0; off < full; off += block {
		kernel.SumBlocks40(&z[off], &w[off], unsafe.SliceData(pl.idx), unsafe.SliceData(pl.val), unsafe.SliceData(pl.grp), ng, wd*8)
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
