package config

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// checkTypes walks a YAML document alongside the Go type it is decoded into
// (into, fileShape) and reports, as a *FieldError naming the key, values of
// the wrong kind: a list or text where a number is expected, and fractional
// numbers for integer fields, which the YAML decoder would silently truncate (n: 200.5
// would become 200). Keys it does not know are left to the decoder.
func checkTypes(b []byte, into reflect.Type) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil // the decoder reports syntax errors with their line
	}
	return checkNode(&doc, into, "", 0)
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

func checkNode(n *yaml.Node, t reflect.Type, path string, depth int) error {
	if depth > 64 {
		return nil
	}
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
		depth++
		if depth > 64 {
			return nil
		}
	}
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		return checkNode(n.Content[0], t, path, depth+1)
	}
	optional := t.Kind() == reflect.Pointer
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case reflect.TypeFor[optimYAML]():
		t = optimShape
	case reflect.TypeFor[scheduleYAML]():
		t = scheduleShape
	}
	name := strings.TrimPrefix(path, ".")
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		// The decoder leaves a field it reads null as it was, so "alpha:"
		// or "alpha: null" would silently keep the paper's value.
		switch t.Kind() {
		case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Uint, reflect.Float64, reflect.String, reflect.Bool:
			if !optional {
				return fieldErr(name, "%s must have a value, not null; give one, or leave the key out for the default", name)
			}
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return nil // the decoder says what it found instead
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			for f := range t.Fields() {
				if tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); tag == key {
					if err := checkNode(n.Content[i+1], f.Type, path+"."+key, depth+1); err != nil {
						return err
					}
				}
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return fieldErr(name, "%s must be a list, not %s", name, describe(n))
		}
		for i, c := range n.Content {
			if err := checkNode(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
	case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Uint:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
			return fieldErr(name, "%s must be a whole number, not %s", name, describe(n))
		}
		if n.Tag == "!!float" {
			v, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
			if err != nil || v != math.Trunc(v) {
				return fieldErr(name, "%s=%s must be a whole number", name, n.Value)
			}
			// The decoder converts a float to the integer type without a
			// range check (1e20 would become 2⁶³); refuse what does not fit.
			lo, hi, maxText := float64(math.MinInt64), float64(math.MaxInt64), strconv.FormatInt(math.MaxInt64, 10)
			if t.Kind() == reflect.Uint64 || t.Kind() == reflect.Uint {
				lo, hi, maxText = 0, float64(math.MaxUint64), strconv.FormatUint(math.MaxUint64, 10)
			}
			if v < lo || v >= hi {
				return fieldErr(name, "%s=%s is out of range: it must be at most %s", name, n.Value, maxText)
			}
			if math.Abs(v) > 1<<53 {
				return fieldErr(name, "%s=%s cannot be read exactly as a whole number; write it in plain digits", name, n.Value)
			}
		}
	case reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
			return fieldErr(name, "%s must be a number, not %s", name, describe(n))
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return fieldErr(name, "%s must be text, not %s", name, describe(n))
		}
	}
	return nil
}

// describe names what a node holds, for error messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		return "the text " + strconv.Quote(n.Value)
	}
	return "something else"
}
