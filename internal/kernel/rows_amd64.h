// Steps shared by the amd64 row-sum kernels (SumRows*, GradRows*, their
// AVX2, float32, fused and block variants). Registers: DX = row indices
// (int32), DI = base of the rows, R10 = row stride in bytes, CX = entry,
// BX = number of entries, R12 = BX rounded down to even. Each macro is the
// instructions the kernels had inline, so the machine code is unchanged.

// ROW_ADDR2 sets R9 and R13 to the rows of entries CX and CX+1.
#define ROW_ADDR2 \
	MOVLQSX (DX)(CX*4), R9; \
	MOVLQSX 4(DX)(CX*4), R13; \
	IMULQ R10, R9; \
	IMULQ R10, R13; \
	ADDQ DI, R9; \
	ADDQ DI, R13

// ROW_ADDR1 sets R9 to the row of entry CX.
#define ROW_ADDR1 \
	MOVLQSX (DX)(CX*4), R9; \
	IMULQ R10, R9; \
	ADDQ DI, R9

// PAIRS_START zeroes CX, sets R12 = BX &^ 1 and jumps to tail when there
// is no pair of entries.
#define PAIRS_START(tail) \
	XORQ CX, CX; \
	MOVQ BX, R12; \
	ANDQ $-2, R12; \
	JE tail

// PAIRS_NEXT steps to the next pair (back to pair while one is left), then
// at tail jumps to sum when no odd entry is left.
#define PAIRS_NEXT(pair, tail, sum) \
	ADDQ $2, CX; \
	CMPQ CX, R12; \
	JLT pair; \
tail: \
	CMPQ CX, BX; \
	JGE sum
