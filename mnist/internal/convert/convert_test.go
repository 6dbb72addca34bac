package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRoundTrip writes two small digit files in the npm format, converts
// them and checks every byte.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := [10][]byte{}
	for d := range classes {
		img := make([]byte, pixels)
		for i := range img {
			img[i] = byte((i*7 + d*31) % 256)
		}
		want[d] = img
		vals := make([]string, pixels)
		for i, b := range img {
			// The npm package writes values rounded to 3 decimals.
			vals[i] = fmt.Sprintf("%.3f", float64(b)/255)
		}
		js := `{ "data": [` + strings.Join(vals, ",") + `]}`
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.json", d)), []byte(js), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := readDigits(dir)
	if err != nil {
		t.Fatal(err)
	}
	for d := range classes {
		if !bytes.Equal(got[d], want[d]) {
			t.Errorf("digit %d: bytes differ after conversion", d)
		}
	}
	var buf bytes.Buffer
	if err := encode(&buf, got); err != nil {
		t.Fatal(err)
	}
	if buf.Len() == 0 {
		t.Fatal("empty output")
	}
}

func TestToBytesErrors(t *testing.T) {
	for _, tc := range []struct{ name, js string }{
		{"not json", "{"},
		{"wrong length", `{"data":[0,1]}`},
		{"out of range", `{"data":[` + strings.Repeat("0,", pixels-1) + `1.5]}`},
		{"not byte/255", `{"data":[` + strings.Repeat("0,", pixels-1) + `0.1234]}`},
	} {
		if _, err := toBytes([]byte(tc.js)); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}
