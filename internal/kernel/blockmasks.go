package kernel

// BlockMasks returns the chunk masks of a block of the 40-column kernels
// (GatherRows40, AdamGatherRows, SumRows40M, …) whose first width columns
// are read and written: byte j holds the lanes of columns 8j…8j+7. A width
// of 40 or more gives every lane.
func BlockMasks(width int) uint64 {
	var masks uint64
	for j := range 5 {
		lanes := min(max(0, width-8*j), 8)
		masks |= uint64(uint8(1)<<lanes-1) << (8 * j)
	}
	return masks
}
