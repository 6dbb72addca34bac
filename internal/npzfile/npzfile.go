// Package npzfile reads arrays from NPZ archives defensively: it finds an
// array stored as NAME (as npyio writes it) or NAME.npy (as NumPy's np.savez
// does), bounds the .npy header length, and turns npyio's panics on
// malformed headers into errors.
package npzfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"
)

// ErrShape is wrapped by every error about a missing or malformed array.
var ErrShape = errors.New("wrong array shape")

// DType returns the array's NumPy type string without the quotes that npyio
// keeps from the header dictionary ('<f8' becomes <f8).
func DType(h *npy.Header) string {
	return strings.Trim(h.Descr.Type, `'"`)
}

// Entry finds the array name, stored as name (WriteNPZ) or name.npy
// (NumPy's np.savez), and returns its key in the archive and its header.
func Entry(zr *npz.Reader, name string) (key string, h *npy.Header, err error) {
	defer func() {
		if p := recover(); p != nil { // npyio panics on some malformed headers
			key, h, err = "", nil, fmt.Errorf("%w: npz: %s has a malformed .npy header (%v)", ErrShape, name, p)
		}
	}()
	keys := zr.Keys()
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			return "", nil, fmt.Errorf("%w: npz: member %s appears twice in the archive (NumPy reads the last, this reader the first); write the file again with one of each", ErrShape, k)
		}
		seen[k] = true
	}
	if seen[name] && seen[name+".npy"] {
		return "", nil, fmt.Errorf("%w: npz: both %s and %s.npy are in the archive; keep one", ErrShape, name, name)
	}
	for _, k := range []string{name, name + ".npy"} {
		if slices.Contains(keys, k) {
			if err := checkHeaderLen(zr, k); err != nil {
				return "", nil, err
			}
			if h := zr.Header(k); h != nil {
				return k, h, nil
			}
			return "", nil, fmt.Errorf("%w: npz: %s is not a readable .npy array", ErrShape, k)
		}
	}
	return "", nil, fmt.Errorf("%w: npz: array %s is missing (have %v)", ErrShape, name, zr.Keys())
}

// maxHeaderLen bounds the length of a .npy header dictionary, as NumPy's
// own reader does (its default limit is 10000 bytes), so that a corrupt
// length field does not make npyio allocate gigabytes.
const maxHeaderLen = 1 << 16

// checkHeaderLen reads the fixed preamble of the .npy entry key (magic,
// version, header length) and refuses header lengths beyond maxHeaderLen.
func checkHeaderLen(zr *npz.Reader, key string) error {
	rc, err := zr.Open(key)
	if err != nil {
		return fmt.Errorf("%w: npz: %s: %w", ErrShape, key, err)
	}
	defer rc.Close()
	var pre [12]byte
	if _, err := io.ReadFull(rc, pre[:10]); err != nil {
		return fmt.Errorf("%w: npz: %s is not a .npy array: %w", ErrShape, key, err)
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return fmt.Errorf("%w: npz: %s is not a .npy array (no \\x93NUMPY magic)", ErrShape, key)
	}
	n := int(binary.LittleEndian.Uint16(pre[8:10]))
	if pre[6] >= 2 {
		if _, err := io.ReadFull(rc, pre[10:12]); err != nil {
			return fmt.Errorf("%w: npz: %s: truncated .npy header: %w", ErrShape, key, err)
		}
		n = int(binary.LittleEndian.Uint32(pre[8:12]))
	}
	if n > maxHeaderLen {
		return fmt.Errorf("%w: npz: %s declares a .npy header of %d bytes, more than %d", ErrShape, key, n, maxHeaderLen)
	}
	return nil
}

// Read reads the array stored under key into ptr.
func Read(zr *npz.Reader, key string, ptr any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("npz: %s is malformed (%v)", key, p)
		}
	}()
	if err := zr.Read(key, ptr); err != nil {
		return fmt.Errorf("npz: could not read %s: %w", key, err)
	}
	return nil
}
