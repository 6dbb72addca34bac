package train

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

// TestWriteBatchesNPY: the file is an NPY 1.0 int32 (steps, size) array
// whose rows are the sampler's batches, padded with −1.
func TestWriteBatchesNPY(t *testing.T) {
	const n, size, steps, seed = 7, 3, 8, 5
	var buf bytes.Buffer
	if err := WriteBatchesNPY(&buf, Epochs, n, size, steps, seed); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if string(b[:8]) != "\x93NUMPY\x01\x00" {
		t.Fatalf("magic %q", b[:8])
	}
	hl := int(binary.LittleEndian.Uint16(b[8:10]))
	hdr := string(b[10 : 10+hl])
	if (10+hl)%64 != 0 || !strings.HasSuffix(hdr, "\n") || !strings.Contains(hdr, "'descr': '<i4'") || !strings.Contains(hdr, "'shape': (8, 3)") {
		t.Fatalf("header %q (length %d)", hdr, 10+hl)
	}
	body := b[10+hl:]
	if len(body) != 4*size*steps {
		t.Fatalf("%d bytes of data, want %d", len(body), 4*size*steps)
	}
	s := NewSampler(Epochs, n, size, seed)
	for st := range steps {
		want := s.Next()
		for k := range size {
			got := int32(binary.LittleEndian.Uint32(body[4*(st*size+k):]))
			w := int32(-1) // the epoch's third batch holds 1 example
			if k < len(want) {
				w = want[k]
			}
			if got != w {
				t.Errorf("step %d entry %d: %d, want %d", st, k, got, w)
			}
		}
	}
	if err := WriteBatchesNPY(&buf, "bootstrap", n, size, steps, seed); err == nil {
		t.Error("unknown sampling: no error")
	}
	if err := WriteBatchesNPY(&buf, Epochs, n, 0, steps, seed); err == nil {
		t.Error("batch size 0: no error")
	}
}
