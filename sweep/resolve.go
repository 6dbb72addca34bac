package sweep

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/optim"
)

var lineNumber = regexp.MustCompile(`line \d+: `)

// configKeyList is config.Parse's message about an unknown top-level key:
// the key, a guess, then the configuration's keys ("unknown key alpah (did
// you mean alpha? allowed: d, n, …)").
var configKeyList = regexp.MustCompile(`unknown key (\S+) \((did you mean \S+\?)? ?allowed: [^)]*\)`)

// hyperKeys are the shorthands for a parameter of the single optimiser:
// every name of optim.ParamTable.
var hyperKeys = optim.ParamNames()

// axisKeys are the configuration keys a sweep can vary (config.Keys but
// seed, which seeds: varies).
func axisKeys() []string {
	var names []string
	for _, k := range config.Keys() {
		if k.Sweepable() {
			names = append(names, k.Name)
		}
	}
	return names
}

func isOptimizerKey(key string) bool {
	return key == "optimizer" || key == "optimizers" || slices.Contains(hyperKeys, key) || strings.Contains(key, ".")
}

// resolve applies values to base and returns the configuration. The
// configuration goes through its YAML form: base is marshalled, each key is
// set in the YAML tree and the result is parsed by config.Parse, so every
// key config.yaml knows works as an axis and unknown keys are refused by
// config.Parse. Optimiser lists are set first, then optimiser parameters,
// then the other keys. The result is not validated.
func resolve(base config.Config, values map[string]*yaml.Node, keys []string) (config.Config, error) {
	b, err := base.Marshal()
	if err != nil {
		return config.Config{}, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return config.Config{}, err
	}
	root := doc.Content[0]
	rank := func(k string) int {
		switch {
		case k == "optimizers":
			return 0
		case k == "optimizer":
			return 1
		case isOptimizerKey(k):
			return 2
		}
		return 3
	}
	// A swept data_from brings its own sizes: n and d come from each file
	// (experiment.PrepareContext) unless they are axes too.
	if slices.Contains(keys, "data_from") {
		for _, k := range []string{"n", "d"} {
			if !slices.Contains(keys, k) {
				deleteKey(root, k)
			}
		}
	}
	order := slices.Clone(keys)
	slices.SortStableFunc(order, func(a, b string) int { return rank(a) - rank(b) })
	for _, key := range order {
		v := values[key]
		switch {
		case key == "optimizers":
			if v.Kind != yaml.SequenceNode {
				return config.Config{}, fmt.Errorf("optimizers: want a list of optimizer entries such as [{name: adam, lr: 1e-4}], got %s", nodeString(v))
			}
			setKey(root, "optimizers", v)
		case key == "optimizer":
			entry := v
			switch v.Kind {
			case yaml.ScalarNode:
				entry = &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{
					{Kind: yaml.ScalarNode, Value: "name"}, {Kind: yaml.ScalarNode, Value: v.Value},
				}}
			case yaml.MappingNode:
			default:
				return config.Config{}, fmt.Errorf("optimizer: want a name or a map such as {name: adam, lr: 1e-4}, got %s", nodeString(v))
			}
			setKey(root, "optimizers", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{entry}})
		case isOptimizerKey(key):
			entry, param, err := optimizerEntry(root, key)
			if err != nil {
				return config.Config{}, err
			}
			setKey(entry, param, v)
		default:
			setKey(root, key, v)
		}
	}
	out, err := yaml.Marshal(root)
	if err != nil {
		return config.Config{}, err
	}
	c, err := config.Parse(out, base)
	if err != nil {
		// Line numbers would point into the generated YAML, not the spec.
		msg := lineNumber.ReplaceAllString(yamlMessage(err), "")
		if m := configKeyList.FindStringSubmatch(msg); m != nil || strings.Contains(msg, "unknown field") {
			// The configuration's list of keys gives way to the axes'.
			if m != nil {
				guess := ""
				if m[2] != "" {
					guess = " (" + m[2] + ")"
				}
				msg = strings.Replace(msg, m[0], "unknown key "+m[1]+guess, 1)
			}
			msg += " (an axis key must be a key of config.yaml: " + strings.Join(axisKeys(), ", ") + "; or optimizer, optimizers, " + strings.Join(hyperKeys, ", ") + ", NAME.PARAM)"
		}
		return config.Config{}, fmt.Errorf("%s", msg)
	}
	return c, nil
}

// optimizerEntry finds the optimiser entry a parameter key refers to: the
// only one for lr, beta1, …, the one called NAME for NAME.PARAM
// (optimizer.PARAM is the only one too).
func optimizerEntry(root *yaml.Node, key string) (*yaml.Node, string, error) {
	list := getKey(root, "optimizers")
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil, "", fmt.Errorf("%s: the configuration has no optimizers list", key)
	}
	name, param, dotted := strings.Cut(key, ".")
	if !dotted {
		name, param = "optimizer", key
	}
	if name == "optimizer" {
		if len(list.Content) != 1 {
			return nil, "", fmt.Errorf("%s needs exactly one optimizer in the configuration, have %d; write NAME.%s (e.g. adam.%s) or vary optimizer", key, len(list.Content), param, param)
		}
		return list.Content[0], param, nil
	}
	var names []string
	for _, e := range list.Content {
		n := getKey(e, "name")
		if n == nil {
			continue
		}
		if n.Value == name {
			return e, param, nil
		}
		names = append(names, n.Value)
	}
	return nil, "", fmt.Errorf("%s: no optimizer called %q in the configuration (it has: %s)", key, name, strings.Join(names, ", "))
}

func getKey(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func deleteKey(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = slices.Delete(m.Content, i, i+2)
			return
		}
	}
}

func setKey(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
}
