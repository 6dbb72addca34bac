package explorer

import (
	"errors"
	"maps"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/adamgap/adamgap/config"
	"github.com/adamgap/adamgap/optim"
)

// Form is a configuration as the page sends it: every value as the text
// typed into its field, keyed by the configuration's YAML keys (those of
// config.yaml). Fields that are absent keep the paper's values.
type Form struct {
	Fields     map[string]string `json:"fields"`
	Optimizers []OptimizerForm   `json:"optimizers"`
}

// OptimizerForm is one optimiser of a Form: its name, its hyper-parameters
// (optim.ParamNames) and its schedule (kind and the kind's parameters;
// kind "" or "constant" for none).
type OptimizerForm struct {
	Name     string            `json:"name"`
	Params   map[string]string `json:"params"`
	Schedule map[string]string `json:"schedule"`
}

// FieldError is bad input: the message the CLI gives for it and the field
// it names (a YAML key, "optimizers[i].PARAM", "optimizers[i].schedule.KEY",
// or "" when no single field is to blame).
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"error"`
}

func (e *FieldError) Error() string { return e.Message }

// yaml returns the form as a YAML mapping node. Values are scalars whose
// type YAML infers from the text, as in a config.yaml written by hand; an
// empty value or one with characters outside numbers and names is a
// quoted string, so config reports it as the wrong type and nothing typed
// into a field can add a key.
func (f Form) yaml() *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, k := range slices.Sorted(maps.Keys(f.Fields)) {
		m.Content = append(m.Content, str(k), scalar(f.Fields[k]))
	}
	if f.Optimizers != nil {
		list := &yaml.Node{Kind: yaml.SequenceNode}
		for _, o := range f.Optimizers {
			e := &yaml.Node{Kind: yaml.MappingNode}
			e.Content = append(e.Content, str("name"), str(strings.TrimSpace(o.Name)))
			for _, p := range slices.Sorted(maps.Keys(o.Params)) {
				e.Content = append(e.Content, str(p), scalar(o.Params[p]))
			}
			if kind := strings.TrimSpace(o.Schedule["kind"]); kind != "" && kind != "constant" {
				s := &yaml.Node{Kind: yaml.MappingNode}
				s.Content = append(s.Content, str("kind"), str(kind))
				for _, p := range optim.ScheduleParamTable() {
					if v, ok := o.Schedule[p.Name]; ok {
						s.Content = append(s.Content, str(p.Name), scalar(v))
					}
				}
				e.Content = append(e.Content, str("schedule"), s)
			}
			list.Content = append(list.Content, e)
		}
		m.Content = append(m.Content, str("optimizers"), list)
	}
	return m
}

func str(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle}
}

var plain = regexp.MustCompile(`^[0-9A-Za-z.+\-_]+$`)

func scalar(v string) *yaml.Node {
	v = strings.TrimSpace(v)
	if v == "" || !plain.MatchString(v) {
		return str(v)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Value: v}
}

// YAML returns the form as the text of a configuration file.
func (f Form) YAML() ([]byte, error) {
	return yaml.Marshal(f.yaml())
}

// Config reads the form as "adamgap run --config" reads a file (on top of
// the paper's values) and validates it. Bad input is a *FieldError.
func (f Form) Config() (config.Config, error) {
	b, err := f.YAML()
	if err != nil {
		return config.Config{}, &FieldError{Message: err.Error()}
	}
	c, err := config.Parse(b, config.Paper())
	if err == nil {
		err = c.Validate()
	}
	if err != nil {
		return config.Config{}, fieldError(err)
	}
	return c, nil
}

// fieldError is err, a configuration error, as the page's FieldError: the
// field is the key that config or optim blamed (config.FieldError.Key), or
// "" when no single field is to blame.
func fieldError(err error) *FieldError {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe
	}
	out := &FieldError{Message: err.Error()}
	if ce := (*config.FieldError)(nil); errors.As(err, &ce) {
		out.Field = ce.Key
	}
	return out
}
