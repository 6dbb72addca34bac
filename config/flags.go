package config

import (
	"github.com/spf13/pflag"

	"github.com/adamgap/adamgap/optim"
)

// HyperFlags are the command-line flags of the optimiser hyper-parameters,
// one per row of optim.ParamTable: --lr, --beta1, …, --weight-decay (the
// YAML key with '-' for '_'), a boolean flag for a switch (--nesterov).
// Their help text is the table's (optim.Param.Help).
type HyperFlags struct {
	fs     *pflag.FlagSet
	values map[string]*float64
	bools  map[string]*bool
}

// AddHyperFlags registers the hyper-parameter flags on fs.
func AddHyperFlags(fs *pflag.FlagSet) *HyperFlags {
	h := &HyperFlags{fs: fs, values: map[string]*float64{}, bools: map[string]*bool{}}
	for _, p := range optim.ParamTable() {
		if p.Bool {
			h.bools[p.Name] = fs.Bool(p.Flag(), false, p.Help())
		} else {
			h.values[p.Name] = fs.Float64(p.Flag(), 0, p.Help())
		}
	}
	return h
}

// HyperValue is a hyper-parameter the user set on the command line.
type HyperValue struct {
	Flag  string  // the flag's name, e.g. "weight-decay"
	Param string  // the parameter's name, e.g. "weight_decay"
	Value float64 // a switch as 1 or 0
}

// Changed returns the hyper-parameters whose flags were set, in the table's
// order; optim.Spec.Set applies one.
func (h *HyperFlags) Changed() []HyperValue {
	var out []HyperValue
	for _, p := range optim.ParamTable() {
		if !h.fs.Changed(p.Flag()) {
			continue
		}
		v := HyperValue{Flag: p.Flag(), Param: p.Name}
		if p.Bool {
			v.Value = b2f(*h.bools[p.Name])
		} else {
			v.Value = *h.values[p.Name]
		}
		out = append(out, v)
	}
	return out
}
