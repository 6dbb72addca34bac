package train

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// WriteBatchesNPY writes the batches of the first steps steps of a
// mini-batch run — what NewSampler(kind, n, size, seed) deals, one batch per
// optimiser step, the order Loop uses — as a NumPy .npy array of int32 of
// shape (steps, size), row t the sorted indices of step t's batch. When
// size does not divide n, Epochs deals a smaller last batch each epoch; its
// row is padded with −1. A replay (NumPy, PyTorch) reads it with
// np.load("batches.npy") and takes row[row >= 0] as the batch of step t.
//
// The generator, for rebuilding the order without the file: Go's
// math/rand/v2 PCG (128-bit LCG state hi:lo = seed:BatchStream, multiplier
// 0x2360ed051fc65da44385df649fccf645, increment
// 0x5851f42d4c957f2d14057b7ef767814f, state advanced before each output,
// DXSM output of the new state) with rand.Rand's IntN (Lemire's
// multiply-shift with rejection) and Shuffle (Fisher–Yates from the top,
// j = IntN(i+1) for i = n−1 … 1); each epoch shuffles the previous epoch's
// permutation (the identity at first). experiment/testdata/gobatches.py is
// a NumPy-free Python port, tested against this file.
func WriteBatchesNPY(w io.Writer, kind Sampling, n, size, steps int, seed uint64) error {
	if size < 1 || size > n || steps < 0 {
		return fmt.Errorf("train: batches file: batch_size=%d must be in [1, n=%d] and steps=%d >= 0", size, n, steps)
	}
	if _, err := ParseSampling(string(kind)); err != nil {
		return fmt.Errorf("train: batches file: %w", err)
	}
	bw := bufio.NewWriter(w)
	if err := writeNPYHeader(bw, "<i4", steps, size); err != nil {
		return err
	}
	s := NewSampler(kind, n, size, seed)
	row := make([]byte, 4*size)
	for range steps {
		b := s.Next()
		for k := range size {
			v := int32(-1)
			if k < len(b) {
				v = b[k]
			}
			binary.LittleEndian.PutUint32(row[4*k:], uint32(v))
		}
		if _, err := bw.Write(row); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// writeNPYHeader writes an NPY 1.0 header for a C-ordered 2-D array.
func writeNPYHeader(w io.Writer, dtype string, rows, cols int) error {
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }", dtype, rows, cols)
	// magic (6) + version (2) + length (2) + dict + padding + '\n', a multiple of 64
	total := 10 + len(dict) + 1
	pad := (64 - total%64) % 64
	hdr := make([]byte, 0, total+pad)
	hdr = append(hdr, "\x93NUMPY\x01\x00"...)
	hdr = binary.LittleEndian.AppendUint16(hdr, uint16(len(dict)+pad+1))
	hdr = append(hdr, dict...)
	for range pad {
		hdr = append(hdr, ' ')
	}
	hdr = append(hdr, '\n')
	_, err := w.Write(hdr)
	return err
}
