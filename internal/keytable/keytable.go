// Package keytable holds what the tables of named settings have in common
// (config's keys, optim's parameters and schedule parameters): finding an
// entry by its name, and the command-line flag a name gives.
package keytable

import (
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

// Flag is the command-line flag of the setting called name, without
// dashes: the name with "-" for "_" (test_size → test-size).
func Flag(name string) string { return strings.ReplaceAll(name, "_", "-") }
