// Package keytable holds what the tables of named settings have in common
// (config's keys, optim's parameters and schedule parameters): finding an
// entry by its name, the command-line flag a name gives, and reading a
// setting whose values are a list of kinds.
package keytable

import (
	"fmt"
	"slices"
	"strings"
)

// Find returns the entry of table whose name (nameOf) is name, and whether
// there is one.
func Find[T any](table []T, name string, nameOf func(T) string) (T, bool) {
	i := slices.IndexFunc(table, func(e T) bool { return nameOf(e) == name })
	if i < 0 {
		var zero T
		return zero, false
	}
	return table[i], true
}

// ParseKind returns the kind named s of a setting whose values are kinds
// (the first of them, the default, for ""), or an error naming the
// setting key, the value and the kinds allowed.
func ParseKind[K ~string](key, s string, kinds []K) (K, error) {
	if s == "" {
		return kinds[0], nil
	}
	if k := K(s); slices.Contains(kinds, k) {
		return k, nil
	}
	return "", fmt.Errorf("%s=%q must be one of %v", key, s, kinds)
}

// Flag is the command-line flag of the setting called name, without
// dashes: the name with "-" for "_" (test_size → test-size).
func Flag(name string) string { return strings.ReplaceAll(name, "_", "-") }
