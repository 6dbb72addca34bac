package kernel

// ClassMasks returns, for rows of 2m columns in chunks of 16 lanes, the
// lanes of class −1 (columns [0, m)) of each chunk, then those of class +1
// (columns [m, 2m)): the masks of HeadSumF32 and HeadScaleF32.
func ClassMasks(m, chunks int) []uint16 {
	masks := make([]uint16, 2*chunks)
	for col := range 2 * m {
		k := 0
		if col >= m {
			k = chunks
		}
		masks[k+col/16] |= 1 << (col % 16)
	}
	return masks
}
