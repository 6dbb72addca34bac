package config

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/adamgap/adamgap/optim"
)

// rewordedError is an error of the YAML decoder in plain words: its message
// replaces err's, and errors.As and errors.Is still see err (a *FieldError,
// ErrInvalid).
type rewordedError struct {
	msg string
	err error
}

func (e *rewordedError) Error() string { return e.msg }
func (e *rewordedError) Unwrap() error { return e.err }

var (
	unknownKeyRE   = regexp.MustCompile("field (\\S+) not found in type config\\.(file|optimYAML|scheduleYAML)")
	negativeSeedRE = regexp.MustCompile("cannot unmarshal !!int `(-[^`]*)` into uint64")
	notMapRE       = regexp.MustCompile("cannot unmarshal !!(seq|str|int|float|bool) (`[^`]*` )?into map\\[string\\]yaml\\.Node")
	entryRE        = regexp.MustCompile("cannot unmarshal !!str `([^`]*)` into config\\.optimYAML")
)

// reword turns the YAML decoder's words ("yaml: unmarshal errors:", "field
// dd not found in type config.file", "cannot unmarshal !!int `-1` into
// uint64") into a user's: "line 1: unknown key dd (did you mean d?)".
func reword(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	out := strings.ReplaceAll(msg, "yaml: unmarshal errors:\n  ", "")
	out = strings.ReplaceAll(out, "\n  ", "; ")
	out = unknownKeyRE.ReplaceAllStringFunc(out, func(m string) string {
		sub := unknownKeyRE.FindStringSubmatch(m)
		key, in := sub[1], sub[2]
		var known []string
		where := ""
		switch in {
		case "file":
			for _, k := range keys {
				known = append(known, k.Name)
			}
			known = append(known, "optimizers")
		case "optimYAML":
			known = append([]string{"name", "schedule"}, optim.ParamNames()...)
			where = " of an optimizers entry"
		case "scheduleYAML":
			known = []string{"kind"}
			for _, p := range optim.ScheduleParamTable() {
				known = append(known, p.Name)
			}
			where = " of a schedule"
		}
		hint := fmt.Sprintf("allowed: %s", strings.Join(known, ", "))
		if _, ok := optim.LookupParam(key); ok && in == "file" {
			hint = fmt.Sprintf("%s is an optimiser's parameter: give it in an optimizers entry, as in optimizers: [{name: adam, %s: …}]", key, key)
		} else if near := nearest(key, known); near != "" {
			hint = fmt.Sprintf("did you mean %s? %s", near, hint)
		}
		return fmt.Sprintf("unknown key %s%s (%s)", key, where, hint)
	})
	key := ""
	if fe := (*FieldError)(nil); errors.As(err, &fe) && fe.Key != "" {
		key = fe.Key + "="
	}
	out = negativeSeedRE.ReplaceAllString(out, key+"$1 must be a whole number >= 0")
	out = notMapRE.ReplaceAllStringFunc(out, func(m string) string {
		kind := map[string]string{"seq": "list", "str": "text", "int": "number", "float": "number", "bool": "true or false"}[notMapRE.FindStringSubmatch(m)[1]]
		return "a configuration is a map of keys (d: 1000, alpha: 0.2, …), not a " + kind
	})
	out = entryRE.ReplaceAllString(out, "an optimizers entry is a map such as {name: $1, lr: 1e-4}, not the text \"$1\"")
	if out == msg {
		return err
	}
	return &rewordedError{msg: out, err: err}
}

// nearest returns the name of names closest to key when it is a likely
// typo (at most 2 edits, and at most one per 2 characters of key; or a
// prefix of at least 2 characters either way), else "".
func nearest(key string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := editDistance(key, n); d < bestD {
			best, bestD = n, d
		}
	}
	if best != "" && 2*bestD <= len(key) {
		return best
	}
	for _, n := range names {
		if len(key) >= 2 && (strings.HasPrefix(n, key) || strings.HasPrefix(key, n) && len(n) >= 2) {
			return n
		}
	}
	return ""
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
