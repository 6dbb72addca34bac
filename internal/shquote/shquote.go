// Package shquote quotes words for a POSIX shell, for the command lines
// adamgap prints as hints (copy-the-command, SLURM submissions, rm -r of a
// kept folder), so that a path with spaces or quotes pastes as one word.
package shquote

import "strings"

// Quote returns s unchanged when it is made only of characters no POSIX
// shell treats specially (letters, digits and /._-+=:,@), else s in single
// quotes, each ' written as '\”.
func Quote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=:,@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Join quotes every word and joins them with spaces.
func Join(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = Quote(w)
	}
	return strings.Join(q, " ")
}
