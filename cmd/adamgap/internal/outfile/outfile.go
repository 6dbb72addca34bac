// Package outfile writes the adamgap command's output files atomically: a
// reader never sees half a file, and an interrupted write leaves the old
// one.
package outfile

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"

	"github.com/adamgap/adamgap/internal/atomicfile"
)

// JSON writes v to path as indented JSON, creating the folder.
func JSON(path string, v any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error { return Encode(w, v) })
}

// Encode writes v to w as indented JSON.
func Encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Figure is a plot that can be written as PNG and as SVG.
type Figure interface {
	WritePNG(io.Writer) error
	WriteSVG(io.Writer) error
}

// WriteFigure writes fig to base.png and base.svg, creating the folder.
func WriteFigure(base string, fig Figure) error {
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return err
	}
	if err := atomicfile.Write(base+".png", fig.WritePNG); err != nil {
		return err
	}
	return atomicfile.Write(base+".svg", fig.WriteSVG)
}
