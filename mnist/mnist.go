package mnist

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
)

// The shape of one image and the number of classes.
const (
	Rows    = 28
	Cols    = 28
	Pixels  = Rows * Cols
	Classes = 10
)

//go:embed digits.bin.gz
var embedded []byte

// Set is a list of labelled images.
type Set struct {
	Images []byte // image i is Images[i*Pixels:(i+1)*Pixels], row-major, value byte/255
	Labels []byte // digit of image i, in 0…9
}

// Len returns the number of images.
func (s *Set) Len() int { return len(s.Labels) }

// Image returns the bytes of image i (not a copy).
func (s *Set) Image(i int) []byte { return s.Images[i*Pixels : (i+1)*Pixels] }

// Pixels writes image i to dst as values byte/255 in [0,1]. It panics if
// len(dst) != Pixels.
func (s *Set) Pixels(dst []float64, i int) {
	if len(dst) != Pixels {
		panic("mnist: Pixels: dst must hold 784 values")
	}
	for k, b := range s.Image(i) {
		dst[k] = float64(b) / 255
	}
}

// Counts returns the number of images of each digit.
func (s *Set) Counts() [Classes]int {
	var c [Classes]int
	for _, l := range s.Labels {
		c[l]++
	}
	return c
}

var (
	loadOnce sync.Once
	loaded   *Set
	loadErr  error
)

// Load returns the 10,000 embedded images, ordered by digit (all zeros
// first) and within a digit in the npm package's order. The set is decoded
// once and shared: callers must not modify it.
func Load() (*Set, error) {
	loadOnce.Do(func() { loaded, loadErr = decode(embedded) })
	return loaded, loadErr
}

// decode reads the format written by internal/convert.
func decode(b []byte) (*Set, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("mnist: embedded data: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("mnist: embedded data: %w", err)
	}
	const header = 4 + 4*Classes
	if len(raw) < header || string(raw[:4]) != "MNST" {
		return nil, fmt.Errorf("mnist: embedded data: missing the MNST header")
	}
	s := &Set{}
	n := 0
	for d := range Classes {
		c := int(binary.LittleEndian.Uint32(raw[4+4*d:]))
		for range c {
			s.Labels = append(s.Labels, byte(d))
		}
		n += c
	}
	if len(raw) != header+n*Pixels {
		return nil, fmt.Errorf("mnist: embedded data: %d bytes of images, want %d for %d images", len(raw)-header, n*Pixels, n)
	}
	s.Images = raw[header:]
	return s, nil
}

// Split divides s into a test set of the last testPerDigit images of each
// digit (in s's order) and a training set of the rest, both ordered by digit. The split is
// deterministic; shuffle the training order with the run's generator.
// testPerDigit must lie in [1, m-1], m the smallest class count.
func Split(s *Set, testPerDigit int) (train, test *Set, err error) {
	counts := s.Counts()
	least := counts[0]
	for _, c := range counts {
		least = min(least, c)
	}
	if testPerDigit < 1 || testPerDigit > least-1 {
		return nil, nil, fmt.Errorf("mnist: test images per digit %d must lie in [1, %d] (the rarest digit has %d images)", testPerDigit, least-1, least)
	}
	var byDigit [Classes][]int
	for i, l := range s.Labels {
		byDigit[l] = append(byDigit[l], i)
	}
	train, test = &Set{}, &Set{}
	for _, idx := range byDigit {
		cut := len(idx) - testPerDigit
		for k, i := range idx {
			dst := train
			if k >= cut {
				dst = test
			}
			dst.Images = append(dst.Images, s.Image(i)...)
			dst.Labels = append(dst.Labels, s.Labels[i])
		}
	}
	return train, test, nil
}
